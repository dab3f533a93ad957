from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts import services
from accounts.forms import ProfileForm
from accounts.signin import client_address


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile has been saved.")
        return redirect("profile")
    memberships = request.user.region_memberships.select_related("region")
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, with a limit on the emails one address or one client can
    cause (accounts.services.password_reset_throttle)."""

    def form_valid(self, form):
        refusal = services.password_reset_throttle(
            email=form.cleaned_data["email"], client=client_address(self.request)
        )
        if refusal is None:
            return super().form_valid(form)
        retry_at = timezone.localtime(refusal.retry_at)
        who = "this address" if refusal.reason == "email" else "your connection"
        form.add_error(
            None,
            f"Too many password reset requests for {who}. Try again after "
            f"{retry_at:%H:%M} ({timezone.get_current_timezone_name()} time). "
            "A link we have already sent still works.",
        )
        return self.render_to_response(self.get_context_data(form=form), status=429)
