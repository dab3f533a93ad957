"""Best practices and regional figures of the demo world, through the same services as
the site and the admin. Keyed by slug (and region, kind, year): running it twice
changes nothing and sends nothing again."""

from datetime import datetime

from django.utils import timezone

from accounts.models import User
from practices import services
from practices.emails import practice_review_skip
from practices.models import Practice
from regions.models import Indicator, Region
from regions.services import indicator_set

PUBLISHED = [
    (
        "goteborg",
        "goteborg-reskilling-for-electromobility",
        datetime(2023, 11, 14, 10, 0),
        {
            "title": "Reskilling for electromobility in West Sweden",
            "summary": "Göteborg's automotive employers, unions and Chalmers run short "
            "reskilling courses that move assembly and engine workers into battery, "
            "electric drivetrain and software jobs.",
            "body": "## Why\n\nThe Göteborg cluster is moving from combustion engines to "
            "electric and connected vehicles. Thousands of workers need new skills within a "
            "few years, while they keep their jobs.\n\n## What we do\n\n"
            "- Modular courses of 4 to 12 weeks on **high-voltage safety**, battery "
            "production and electric drivetrains, taught partly at the workplace.\n"
            "- A skills check for every participant, so that courses build on what people "
            "already know.\n- Paid study time agreed between employers and unions.\n\n"
            "## Partners\n\nVolvo Cars, Volvo Group, the IF Metall union, Chalmers University "
            "of Technology and the City of Göteborg's adult education.",
            "theme_skills": True,
            "theme_employment": True,
            "transition_green": True,
            "transition_digital": True,
            "results": "Since 2021 about 2,400 workers have completed a module; 85% moved to "
            "a new role with the same employer.",
            "contact": "Business Region Göteborg, electromobility programme",
        },
    ),
    (
        "kosice",
        "kosice-dual-education-automotive",
        datetime(2023, 10, 2, 9, 0),
        {
            "title": "Dual education for the automotive industry in Košice",
            "summary": "Secondary vocational schools and automotive suppliers in the Košice "
            "region train mechatronics and automotive students together, with three days a "
            "week in the company.",
            "body": "## Why\n\nSuppliers around Košice lacked mechatronics technicians "
            "while young people left the region.\n\n## What we do\n\n"
            "- Dual education contracts between students, schools and companies.\n"
            "- Company trainers certified by the Slovak Chamber of Commerce.\n"
            "- New modules on **industrial robotics, PLC programming and electric "
            "vehicles**, co-written by teachers and engineers.\n\n## Funding\n\n"
            "The Košice Self-Governing Region equips school workshops; companies pay "
            "students a monthly allowance.",
            "theme_education": True,
            "theme_skills": True,
            "transition_digital": True,
            "results": "Over 600 students in dual education in 2023, 14 companies, and 70% of "
            "graduates hired by their training company.",
            "contact": "Košice Self-Governing Region, department of education",
        },
    ),
    (
        "stuttgart",
        "stuttgart-transformation-network",
        datetime(2024, 1, 22, 11, 0),
        {
            "title": "Transformation network for the Stuttgart automotive region",
            "summary": "A regional network of employers, unions, chambers and the employment "
            "agency helps small suppliers plan the skills they need after the combustion "
            "engine and finds training for their staff.",
            "body": "## Why\n\nHundreds of small and medium suppliers in the Stuttgart "
            "region depend on parts for combustion engines. Most have no HR department "
            "that can plan the transformation.\n\n## What we do\n\n"
            "- Transformation coaches visit companies and draw up a skills plan.\n"
            "- A regional training map lists courses on electric drivetrains, software "
            "and hydrogen.\n- Short-time work is combined with training, funded by the "
            "Federal Employment Agency.\n\n## Partners\n\nRegion Stuttgart, IG Metall, "
            "the chambers of industry and crafts, and the employment agency.",
            "theme_skills": True,
            "theme_employment": True,
            "transition_green": True,
            "results": "220 companies coached since 2021; 5,100 employees trained while on "
            "short-time work.",
            "contact": "Wirtschaftsförderung Region Stuttgart",
        },
    ),
    (
        "educam",
        "educam-ev-safety-training",
        datetime(2024, 2, 12, 14, 0),
        {
            "title": "Electric vehicle safety training for Belgian garages and emergency services",
            "summary": "EDUCAM certifies technicians, towing staff and fire fighters to work "
            "safely on electric and hybrid vehicles, at three levels of qualification.",
            "body": "## Why\n\nElectric and hybrid vehicles carry voltages up to 800 V. "
            "Belgian law requires qualified staff for work on them.\n\n## What we do\n\n"
            "- Three certified levels: *awareness*, *work on de-energised vehicles* and "
            "*work under voltage*.\n- Mobile training units that visit garages.\n"
            "- A joint course with fire brigades on rescuing people from damaged electric "
            "vehicles.\n\n## Partners\n\nThe sector's social partners, vehicle importers and "
            "the federal fire-fighting college.",
            "theme_skills": True,
            "theme_education": True,
            "transition_green": True,
            "results": "More than 9,000 certificates issued since 2020.",
            "contact": "EDUCAM, Brussels",
        },
    ),
]

DRAFT = (
    "stuttgart",
    "stuttgart-software-skills-for-mechatronics",
    {
        "title": "Software skills for mechatronics technicians",
        "summary": "A pilot course teaching vehicle software diagnostics and over-the-air "
        "updates to experienced mechatronics technicians.",
        "body": "## Draft\n\nCourse outline still to be agreed with the chambers.",
        "theme_skills": True,
        "transition_digital": True,
    },
)
SUBMITTED = (
    "kosice",
    "kosice-battery-skills-centre",
    {
        "title": "Battery skills centre in eastern Slovakia",
        "summary": "A training centre for battery assembly, testing and recycling, run by "
        "the Technical University of Košice with the region's employers.",
        "body": "## What we do\n\nCourses for operators and technicians in battery cell "
        "assembly, testing and safe recycling.",
        "theme_skills": True,
        "theme_employment": True,
        "transition_green": True,
        "results": "First 120 trainees in 2024.",
    },
)

# Submitted by Stuttgart and returned by the secretariat with its comment: the
# representative finds it under "Returned to you for changes" on /me/.
RETURNED = (
    "stuttgart",
    "stuttgart-hydrogen-skills-for-suppliers",
    {
        "title": "Hydrogen skills for supplier staff",
        "summary": "Evening and weekend courses on fuel cells, hydrogen tanks and their "
        "safe handling for the staff of small suppliers moving into hydrogen components.",
        "body": "## What we do\n\nThree-day modules at the chambers' training centres "
        "on fuel-cell systems, high-pressure tanks and the safety rules for work on "
        "them, followed by a day in a company that already builds such parts.",
        "theme_skills": True,
        "transition_green": True,
    },
    "Thank you, this is a good example for the regions. Before we publish it, please "
    "add the results so far (how many people took part, from how many companies, and "
    "since when) and name who funds the courses. A contact person for other regions "
    "would help too.",
)

# region: {year: (automotive employment, people up- or reskilled, training programmes)}
INDICATORS = {
    "goteborg": {2021: (29000, 1100, 14), 2022: (29500, 1450, 18), 2023: (30100, 1600, 21),
                 2024: (30400, 1750, 24)},
    "kosice": {2021: (21000, 600, 9), 2022: (22000, 780, 11), 2023: (22500, 950, 13),
               2024: (23000, 1200, 15)},
    "stuttgart": {2021: (224000, 9500, 60), 2022: (221000, 11800, 72),
                  2023: (218000, 13200, 85), 2024: (215000, 14100, 90)},
    "educam": {2022: (73000, 4100, 40), 2023: (74000, 4300, 44), 2024: (74500, 4650, 46)},
}  # fmt: skip
SOURCES = {
    "goteborg": "Statistics Sweden; Business Region Göteborg",
    "kosice": "Statistical Office of the Slovak Republic; Košice Self-Governing Region",
    "stuttgart": "Federal Employment Agency; Region Stuttgart",
    "educam": "EDUCAM annual reports",
}


def _author(region: Region) -> User | None:
    """The region's representative in the demo world, else the secretariat."""
    email = {"stuttgart": "stuttgart@example.org", "kosice": "kosice@example.org"}.get(
        region.slug, "secretariat@example.org"
    )
    return User.objects.filter(email=email).first()


def seed(log) -> None:
    secretariat = User.objects.filter(email="secretariat@example.org").first()
    for region_slug, slug, published_at, data in PUBLISHED:
        if Practice.objects.filter(slug=slug).exists():
            continue
        region = Region.objects.get(slug=region_slug)
        practice = services.practice_create(region=region, by=None, data=data, slug=slug)
        practice.created_by = _author(region)
        services.practice_submit(practice=practice, by=None)
        services.practice_publish(practice=practice, by=secretariat)
        # Demo history, not news: a fresh clone must not mail "Published:" to anyone.
        practice_review_skip(practice=practice, reason="Demo world: published long ago.")
        # The demo's history: these were published before the WG4 meeting of March 2024.
        Practice.objects.filter(pk=practice.pk).update(
            published_at=timezone.make_aware(published_at)
        )
        log(f"Published practice {slug}")
    for (region_slug, slug, data), submit in ((DRAFT, False), (SUBMITTED, True)):
        if Practice.objects.filter(slug=slug).exists():
            continue
        region = Region.objects.get(slug=region_slug)
        practice = services.practice_create(
            region=region, by=_author(region), data=data, slug=slug
        )
        if submit:
            services.practice_submit(practice=practice, by=practice.created_by)
            practice_review_skip(practice=practice, reason="Demo world: submitted before seeding.")
        log(f"Created practice {slug} ({practice.get_status_display().lower()})")
    region_slug, slug, data, comment = RETURNED
    if not Practice.objects.filter(slug=slug).exists():
        region = Region.objects.get(slug=region_slug)
        practice = services.practice_create(
            region=region, by=_author(region), data=data, slug=slug
        )
        services.practice_submit(practice=practice, by=practice.created_by)
        services.practice_return(practice=practice, by=secretariat, comment=comment)
        # The comment is on the representative's page; the demo mails nobody about it.
        practice_review_skip(practice=practice, reason="Demo world: returned before seeding.")
        log(f"Created practice {slug} (returned for changes)")
    kinds = [
        (Indicator.Kind.EMPLOYMENT, "people"),
        (Indicator.Kind.UPSKILLED, "people"),
        (Indicator.Kind.PROGRAMMES, "programmes"),
    ]
    for region_slug, years in INDICATORS.items():
        region = Region.objects.get(slug=region_slug)
        for year, values in years.items():
            for (kind, unit), value in zip(kinds, values, strict=True):
                indicator_set(
                    region=region,
                    by=None,
                    kind=kind,
                    year=year,
                    value=value,
                    unit=unit,
                    source=SOURCES[region_slug],
                )
    log("Regional figures are in place")
