app_name = "placenames"
urlpatterns: list = []
