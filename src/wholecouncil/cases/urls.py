from django.urls import path

from wholecouncil.cases.views import cases, opportunities, outputs, releases

app_name = "cases"

CASE = "business-case/cases/<int:pk>/"
OPTION = CASE + "options/<int:option_pk>/"

urlpatterns = [
    path("business-case/", opportunities.overview, name="overview"),
    path("business-case/opportunities/", opportunities.opportunities, name="opportunities"),
    path("business-case/opportunities/add/", opportunities.opportunity_add, name="opportunity_add"),
    path("business-case/opportunities/<int:pk>/", opportunities.opportunity_edit, name="opportunity_edit"),
    path(
        "business-case/opportunities/<int:pk>/delete/",
        opportunities.opportunity_delete,
        name="opportunity_delete",
    ),
    path(
        "business-case/opportunities/defaults/",
        opportunities.opportunity_defaults,
        name="opportunity_defaults",
    ),
    path("business-case/baselines/", opportunities.baselines, name="baselines"),
    path("business-case/baselines/edit/", opportunities.baselines_edit, name="baselines_edit"),
    path("business-case/cases/add/", cases.case_add, name="case_add"),
    path(CASE, cases.case_detail, name="case"),
    path(CASE + "assumptions/", cases.case_edit, name="case_edit"),
    path(CASE + "recommend/", cases.case_recommend, name="case_recommend"),
    path(CASE + "options/add/", cases.option_add, name="option_add"),
    path(OPTION, cases.option_edit, name="option_edit"),
    path(OPTION + "delete/", cases.option_delete, name="option_delete"),
    path(OPTION + "costs/add/", cases.cost_add, name="cost_add"),
    path(OPTION + "costs/<int:cost_pk>/", cases.cost_edit, name="cost_edit"),
    path(OPTION + "costs/<int:cost_pk>/delete/", cases.cost_delete, name="cost_delete"),
    path(CASE + "releases/add/", releases.release_add, name="release_add"),
    path(CASE + "releases/<int:release_pk>/", releases.release_edit, name="release_edit"),
    path(CASE + "releases/<int:release_pk>/delete/", releases.release_delete, name="release_delete"),
    path(CASE + "workbook.xlsx", outputs.workbook, name="workbook"),
    path(CASE + "document/", outputs.document, name="document"),
    path(CASE + "document.pdf", outputs.document_pdf, name="document_pdf"),
]
