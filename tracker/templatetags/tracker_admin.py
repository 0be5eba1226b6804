from django import template

from tracker.clerks.dashboard import dashboard_figures

register = template.Library()


@register.inclusion_tag("admin/tracker/dashboard.html", takes_context=True)
def tracker_dashboard(context):
    request = context["request"]
    if not request.user.has_perm("tracker.view_commitment"):
        return {"show": False}
    return {"show": True, **dashboard_figures()}
