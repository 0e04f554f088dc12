from django.urls import path

from wholecouncil.spend.views import analysis, contracts, imports, review

app_name = "spend"

urlpatterns = [
    path("spend/", analysis.overview, name="overview"),
    path("spend/suppliers/", analysis.suppliers, name="suppliers"),
    path("spend/categories/", analysis.categories, name="categories"),
    path("spend/export.xlsx", analysis.export, name="export"),
    path("spend/imports/", imports.imports, name="imports"),
    path("spend/import/", imports.import_upload, name="import_upload"),
    path("spend/import/<int:pk>/", imports.import_detail, name="import_detail"),
    path("spend/import/<int:pk>/columns/", imports.import_map, name="import_map"),
    path("spend/import/<int:pk>/check/", imports.import_check, name="import_check"),
    path("spend/import/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("spend/suppliers/merges/", review.merges, name="merges"),
    path("spend/suppliers/merges/<int:pk>/decide/", review.merge_decide, name="merge_decide"),
    path("spend/duplicates/", review.duplicates, name="duplicates"),
    path("spend/duplicates/<int:pk>/", review.duplicate_review, name="duplicate_review"),
    path("spend/categories/rules/new/", review.rule_add, name="rule_add"),
    path("spend/categories/rules/<int:pk>/delete/", review.rule_delete, name="rule_delete"),
    path("spend/contracts/", contracts.contracts, name="contracts"),
    path("spend/contracts/import/", contracts.contracts_import, name="contracts_import"),
    path("spend/contracts/import/<int:pk>/columns/", contracts.contracts_map, name="contracts_map"),
]
