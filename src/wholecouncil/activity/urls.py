from django.urls import path

from wholecouncil.activity import survey_urls
from wholecouncil.activity.views import analysis, settings

app_name = "activity"

urlpatterns = [
    path("activity/", analysis.overview, name="overview"),
    path("activity/processes/", analysis.processes, name="processes"),
    path("activity/processes/<slug:code>/", analysis.process, name="process"),
    path("activity/directorates/", analysis.heatmap, name="heatmap"),
    path("activity/fragmentation/", analysis.fragmentation, name="fragmentation"),
    path("activity/units/", analysis.units, name="units"),
    path("activity/spans-of-control/", analysis.spans, name="spans"),
    path("activity/export.xlsx", analysis.export, name="export"),
    path("activity/process-list/", settings.process_list, name="process_list"),
    path("activity/process-list/add/", settings.process_add, name="process_add"),
    path("activity/process-list/<int:pk>/", settings.process_edit, name="process_edit"),
    path("activity/process-list/<int:pk>/remove/", settings.process_delete, name="process_delete"),
    path("activity/comparators/", settings.comparators, name="comparators"),
    path("activity/comparators/add/", settings.comparator_add, name="comparator_add"),
    path("activity/comparators/<int:pk>/remove/", settings.comparator_delete, name="comparator_delete"),
    path("activity/import/", settings.import_upload, name="import_upload"),
    path("activity/import/<int:pk>/", settings.import_map, name="import_map"),
    *survey_urls.urlpatterns,
]
