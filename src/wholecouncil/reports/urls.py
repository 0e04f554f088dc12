from django.urls import path

from wholecouncil.reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/board-packs/<slug:kind>/", views.board_pack, name="board_pack"),
    path("reports/board-packs/<slug:kind>.pdf", views.board_pack_pdf, name="board_pack_pdf"),
]
