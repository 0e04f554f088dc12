from django.urls import path

from wholecouncil.benefits.views import actuals, finance, from_case, lifecycle, realisation, register

app_name = "benefits"

urlpatterns = [
    path("benefits/", register.overview, name="overview"),
    path("benefits/add/", register.benefit_add, name="benefit_add"),
    path("benefits/from-case/", from_case.from_case, name="from_case"),
    path("benefits/mtfp/", finance.mtfp, name="mtfp"),
    path("benefits/mtfp.xlsx", finance.mtfp_xlsx, name="mtfp_xlsx"),
    path("benefits/savings-required/", finance.savings_required, name="savings_required"),
    path("benefits/budget-lines/", finance.budget_lines, name="budget_lines"),
    path("benefits/budget-lines/add/", finance.budget_line_add, name="budget_line_add"),
    path("benefits/budget-lines/<int:pk>/", finance.budget_line_edit, name="budget_line_edit"),
    path("benefits/realisation/", realisation.curve, name="curve"),
    path("benefits/<int:pk>/", register.benefit, name="benefit"),
    path("benefits/<int:pk>/edit/", register.benefit_edit, name="benefit_edit"),
    path("benefits/<int:pk>/actuals/add/", actuals.actual_add, name="actual_add"),
    path("benefits/actuals/<int:pk>/file/", actuals.actual_file, name="actual_file"),
    path("benefits/actuals/<int:pk>/delete/", actuals.actual_delete, name="actual_delete"),
    *[
        path(f"benefits/<int:pk>/{action.value.replace('_', '-')}/", view, name=action.value)
        for action, view in lifecycle.TRANSITION_VIEWS.items()
    ],
]
