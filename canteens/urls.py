app_name = "canteens"
urlpatterns: list = []
