"""Background jobs as their owner sees them: what, whose, how far, and what failed and why.

The task queue (django.tasks with django-tasks-db) runs the work; a Job is the record the
user reads on the Jobs page, updated by the task as items finish.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Job(models.Model):
    class Kind(models.TextChoices):
        URL_IMPORT = "url_import", "Add from URLs"
        FEED_POLL = "feed_poll", "Feed poll"
        FILE_IMPORT = "file_import", "Add files"
        ANNOTATION_IMPORT = "annot_import", "Import annotations"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    title = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Why the job as a whole failed")
    params = models.JSONField(default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_owner_recent")]

    def __str__(self):
        return self.title or self.get_kind_display()

    def get_absolute_url(self):
        return reverse("job_detail", args=[self.pk])

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def status_shown(self):
        """(CSS class, words) for the job's badge: a finished job is told by what became of
        its items, so one whose every item failed does not look done."""
        if self.status == self.Status.DONE and self.failures:
            if self.total and self.failures >= self.total:
                return "job-failed", "All failed"
            return "job-partial", f"Done, {self.failures} failed"
        return f"job-{self.status}", self.get_status_display()

    @property
    def percent(self):
        return int(100 * self.done / self.total) if self.total else (100 if self.finished else 0)


class JobItem(models.Model):
    """One input of a job (a URL, a feed entry) and what became of it."""

    class Outcome(models.TextChoices):
        IMPORTED = "imported", "Imported"
        DUPLICATE = "duplicate", "Already in the library"
        FAILED = "failed", "Failed"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    source = models.CharField(max_length=1000)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.CharField(max_length=500, blank=True)
    article = models.ForeignKey("articles.Article", null=True, blank=True, on_delete=models.SET_NULL)
    finished_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["job", "position"]
        constraints = [models.UniqueConstraint(fields=["job", "position"], name="jobitem_unique_position")]

    def __str__(self):
        return f"{self.source}: {self.get_outcome_display()}"


class JobUpload(models.Model):
    """An uploaded file's bytes, kept in the database until its job has read it.

    The app keeps no local disk state, so whichever worker machine runs the job finds the
    file here; the row is deleted when its item is done.
    """

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="uploads")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=255)
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "position"], name="jobupload_unique_position")]

    def __str__(self):
        return self.name
