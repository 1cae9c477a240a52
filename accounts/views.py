"""The signed-in user's session, asked by a page's script."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@login_required
@require_safe
def session(request):
    """Whether the session a page was opened with still holds: 200 with the user's name and the form token this
    session takes, else (a lapsed session, a signed-out browser) 401 in the API's one error shape
    (config.middleware.SignInRefusalMiddleware).

    A page's script asks it before a form is sent (config/static/js/session_check.js): a form sent with a lapsed
    session would lead to the sign-in and lose what was typed; and a page opened before a sign-in in another window
    holds a form token that sign-in replaced. A map whose tiles stop coming asks it too (tiles/static/tiles/map.js)."""
    user = request.user
    return JsonResponse({"signed_in": True, "name": user.get_full_name() or user.get_username(),
                         "csrf_token": get_token(request)}, json_dumps_params={"ensure_ascii": False})
