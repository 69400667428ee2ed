"""Custom code. apigen creates this package once and never overwrites or deletes anything in it.

What lives here:

- ``task_run.py``: ``client.task_run.execute(input=..., processor=..., output=..., timeout=...)``
  (sync and async) — create a task run, wait on the result endpoint until it completes and
  optionally parse the output into a pydantic model (``result.output.parsed``).

How custom methods reach the generated resources (typed, so pyright/mypy and IDEs see them):

1. A module here defines ``<generated class>Mixin`` and ``Async<generated class>Mixin``; for
   ``client.task_run`` (generated ``TaskRunResource``) that is ``TaskRunResourceMixin`` and
   ``AsyncTaskRunResourceMixin`` in ``task_run.py``. The mixin reaches the generated methods
   through ``cast("TaskRunResource", self)``, importing the resource module only under
   ``TYPE_CHECKING`` (that module imports this one).
2. ``apigen.yaml`` names the module per resource path::

       extend:
         task_run: task_run

   and regeneration makes ``TaskRunResource(TaskRunResourceMixin, SyncAPIResource)``.

Nothing below ``lib/`` is imported with the package (only this ``__init__``): each mixin module
is imported with its resource, the first time ``client.task_run`` is used, so
``import parallel_api`` stays as cheap as the generated code makes it.
"""
