"""The demo people of DESIGN.md; all sign in with the password `demo`."""

from accounts.services import user_ensure

DEMO_PASSWORD = "demo"  # noqa: S105  (documented demo sign-in, refused in production)


def seed(log) -> None:
    people = [
        dict(
            email="secretariat@example.org",
            first_name="Sofia",
            last_name="Secretariat",
            organisation="ASA secretariat",
            secretariat=True,
        ),
        dict(
            email="stuttgart@example.org",
            first_name="Stefan",
            last_name="Steiner",
            organisation="Region Stuttgart",
        ),
        dict(
            email="kosice@example.org",
            first_name="Katarína",
            last_name="Kováčová",
            organisation="Košice Self-Governing Region",
        ),
        dict(
            email="member@example.org",
            first_name="Marta",
            last_name="Member",
            organisation="WG4 member",
        ),
    ]
    for person in people:
        user, created = user_ensure(password=DEMO_PASSWORD, **person)
        if created:
            log(f"Created {user.email}")
