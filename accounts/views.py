"""The signed-in user's session, asked by a page's script."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@login_required
@require_safe
def session(request):
    """Whether the session a page was opened with still holds: 200 with the user's name, else (a lapsed session, a
    signed-out browser) 401 in the API's one error shape (config.middleware.SignInRefusalMiddleware). A page whose
    requests start failing asks it, to say "sign in again" rather than "cannot be drawn" or "outside your region"."""
    user = request.user
    return JsonResponse({"signed_in": True, "name": user.get_full_name() or user.get_username()},
                        json_dumps_params={"ensure_ascii": False})
