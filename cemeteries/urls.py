app_name = "cemeteries"
urlpatterns: list = []
