from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def floor(request):
    """The least a logged-in page can do: the base template and nothing else."""
    return render(request, "bench/floor.html")
