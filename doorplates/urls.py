app_name = "doorplates"
urlpatterns: list = []
