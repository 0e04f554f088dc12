from django.urls import path

from wholecouncil.workforce import views

app_name = "workforce"

urlpatterns = [
    path("organisation/", views.organisation, name="organisation"),
    path("organisation/<int:pk>/", views.unit, name="unit"),
    path("establishment/", views.establishment, name="establishment"),
    path("establishment/import/", views.import_upload, name="import_upload"),
    path("establishment/import/<int:pk>/", views.import_detail, name="import_detail"),
    path("establishment/import/<int:pk>/columns/", views.import_map, name="import_map"),
    path("establishment/import/<int:pk>/check/", views.import_check, name="import_check"),
    path("establishment/import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("partnerships/<int:partnership_pk>/costs/", views.partnership_costs, name="partnership_costs"),
]
