app_name = "tiles"
urlpatterns: list = []
