"""The Jobs page and a job's progress, which the page polls while the job runs."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from articles.jobs.models import Job
from articles.jobs.progress import job_progress
from articles.permissions import can_see_job, jobs_visible_to

RECENT = 50


@require_GET
def job_list(request):
    jobs = jobs_visible_to(request.user, Job.objects.select_related("owner"))[:RECENT]
    return render(request, "jobs/list.html", {"jobs": jobs, "recent": RECENT})


@require_GET
def job_detail(request, pk):
    job = get_object_or_404(Job.objects.select_related("owner"), pk=pk)
    if not can_see_job(request.user, job):
        raise Http404("No such job.")
    template = "jobs/detail.html#progress" if request.htmx else "jobs/detail.html"
    return render(request, template, {"job": job, "progress": job_progress(job)})
