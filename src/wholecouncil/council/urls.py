from django.urls import path

from wholecouncil.council.views import audit, members, operating_model, overview, partnerships, services

app_name = "council"

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("setup/", overview.setup, name="setup"),
    path("services/", services.catalogue, name="services"),
    path("operating-model/", operating_model.show, name="operating_model"),
    path("operating-model/template/", operating_model.choose_template, name="operating_model_template"),
    path("operating-model/layers/add/", operating_model.layer_add, name="layer_add"),
    path("operating-model/layers/<int:pk>/edit/", operating_model.layer_edit, name="layer_edit"),
    path("operating-model/layers/<int:pk>/delete/", operating_model.layer_delete, name="layer_delete"),
    path("operating-model/levers/add/", operating_model.lever_add, name="lever_add"),
    path("operating-model/levers/<int:pk>/edit/", operating_model.lever_edit, name="lever_edit"),
    path("operating-model/levers/<int:pk>/delete/", operating_model.lever_delete, name="lever_delete"),
    path("operating-model/principles/add/", operating_model.principle_add, name="principle_add"),
    path("operating-model/principles/<int:pk>/edit/", operating_model.principle_edit, name="principle_edit"),
    path(
        "operating-model/principles/<int:pk>/delete/",
        operating_model.principle_delete,
        name="principle_delete",
    ),
    path("operating-model/<str:kind>/<int:pk>/move/", operating_model.move, name="operating_model_move"),
    path("partnerships/", partnerships.index, name="partnerships"),
    path("partnerships/<int:pk>/", partnerships.detail, name="partnership_detail"),
    path("audit/", audit.log, name="audit"),
    path("people/", members.index, name="members"),
    path("people/add/", members.add, name="member_add"),
    path("people/<int:pk>/role/", members.change_role, name="member_role"),
]
