"""The demo's organizations: their people and roles, relations, employers and vouches.
Everything is fixed (no randomness), so two demo servers hold the same network."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from internationale.accounts.demo import demo_email
from internationale.core.actors import System
from internationale.core.models import Visibility

from .models import Employer, EmployerSite, Membership, Organization, Presence, Relation, Vouch
from .services import organization_create

MARKER_SLUG = "ndpwu"  # the first demo organization: its presence means the demo is loaded


@dataclass(frozen=True)
class _Org:
    slug: str
    name: str
    short_name: str
    kind: str
    country: str
    city: str
    languages: tuple[str, ...]
    sectors: tuple[str, ...]
    founded: int | None
    size: int | None
    time_zone: str
    description: str
    verified: bool = True


ORGANIZATIONS: tuple[_Org, ...] = (
    # Africa
    _Org(
        "ndpwu",
        "Nigerian Dock and Port Workers' Union",
        "NDPWU",
        "union",
        "NG",
        "Lagos",
        ("en", "yo"),
        ("H",),
        1978,
        24000,
        "Africa/Lagos",
        "Dockworkers, crane operators and port clerks at Apapa and Tin Can Island.",
    ),
    _Org(
        "mawusa",
        "Mining and Allied Workers' Union of South Africa",
        "MAWUSA",
        "union",
        "ZA",
        "Johannesburg",
        ("en", "zu"),
        ("B",),
        1986,
        61000,
        "Africa/Johannesburg",
        "Platinum, gold and coal miners of the Rustenburg belt and the Highveld.",
    ),
    _Org(
        "ktgwu",
        "Kenya Textile and Garment Workers' Union",
        "KTGWU",
        "union",
        "KE",
        "Athi River",
        ("sw", "en"),
        ("C",),
        1962,
        18000,
        "Africa/Nairobi",
        "Garment workers of the export processing zones around Nairobi and Mombasa.",
    ),
    _Org(
        "fmtl",
        "Fédération marocaine des travailleurs de la logistique",
        "FMTL",
        "federation",
        "MA",
        "Casablanca",
        ("ar", "fr"),
        ("H",),
        2004,
        15000,
        "Africa/Casablanca",
        "Federation of warehouse, port and road transport unions of Morocco.",
    ),
    _Org(
        "itwc-mahalla",
        "Independent Textile Workers' Committee of Mahalla",
        "ITWC",
        "movement",
        "EG",
        "El-Mahalla El-Kubra",
        ("ar",),
        ("C",),
        2008,
        None,
        "Africa/Cairo",
        "Rank-and-file committee of spinning and weaving workers.",
    ),
    _Org(
        "pts",
        "Parti des travailleurs du Sénégal",
        "PTS",
        "party",
        "SN",
        "Dakar",
        ("fr", "wo"),
        (),
        1991,
        3500,
        "Africa/Dakar",
        "Workers' party organizing in Dakar, Thiès and the fishing towns of the coast.",
    ),
    _Org(
        "uwama",
        "Umoja wa Wafanyakazi wa Mashambani",
        "UWAMA",
        "union",
        "TZ",
        "Morogoro",
        ("sw",),
        ("A",),
        1997,
        9000,
        "Africa/Dar_es_Salaam",
        "Plantation and agricultural workers: sisal, sugar and tea estates.",
    ),
    # Americas
    _Org(
        "sintlog",
        "Sindicato dos Trabalhadores em Logística de Santos",
        "SINTLOG",
        "union",
        "BR",
        "Santos",
        ("pt-BR",),
        ("H",),
        1989,
        12000,
        "America/Sao_Paulo",
        "Warehouse, terminal and truck workers of the port of Santos.",
    ),
    _Org(
        "fenatral",
        "Federação Nacional dos Trabalhadores em Transporte e Logística",
        "FENATRAL",
        "federation",
        "BR",
        "São Paulo",
        ("pt-BR",),
        ("H",),
        1995,
        140000,
        "America/Sao_Paulo",
        "National federation of transport and logistics unions of Brazil.",
    ),
    _Org(
        "sittba",
        "Sindicato de Trabajadoras y Trabajadores Textiles de Buenos Aires",
        "SITTBA",
        "union",
        "AR",
        "Buenos Aires",
        ("es",),
        ("C",),
        1946,
        9000,
        "America/Argentina/Buenos_Aires",
        "Textile and clothing workers of Greater Buenos Aires.",
    ),
    _Org(
        "fatm",
        "Frente Auténtico de Trabajadoras de la Maquila",
        "FATM",
        "movement",
        "MX",
        "Ciudad Juárez",
        ("es",),
        ("C",),
        2001,
        None,
        "America/Ciudad_Juarez",
        "Women workers of the border maquiladoras, organizing for independent unions.",
    ),
    _Org(
        "feminor",
        "Federación Minera del Norte",
        "FEMINOR",
        "federation",
        "CL",
        "Antofagasta",
        ("es",),
        ("B",),
        1968,
        22000,
        "America/Santiago",
        "Federation of copper and lithium mine unions of northern Chile.",
    ),
    _Org(
        "iwwu",
        "Inland Warehouse Workers United",
        "IWWU",
        "union",
        "US",
        "Ontario, California",
        ("en", "es"),
        ("H",),
        2015,
        6000,
        "America/Los_Angeles",
        "Warehouse and fulfilment centre workers of the Inland Empire.",
    ),
    _Org(
        "cst",
        "Centre de solidarité des travailleurs",
        "CST",
        "other",
        "CA",
        "Montréal",
        ("fr", "en"),
        ("S",),
        1979,
        None,
        "America/Toronto",
        "Workers' solidarity centre: education, twinning and material aid.",
    ),
    _Org(
        "pti-co",
        "Partido de los Trabajadores Independientes",
        "PTI",
        "party",
        "CO",
        "Medellín",
        ("es",),
        (),
        2019,
        1200,
        "America/Bogota",
        "A young workers' party, founded by textile and flower-farm workers.",
        verified=False,
    ),
    # Asia
    _Org(
        "klwu",
        "Korean Logistics Workers' Union",
        "KLWU",
        "union",
        "KR",
        "Busan",
        ("ko", "en"),
        ("H",),
        2006,
        31000,
        "Asia/Seoul",
        "Port, warehouse and delivery workers of Busan and the capital region.",
    ),
    _Org(
        "tngwf",
        "Tamil Nadu Garment Workers' Federation",
        "TNGWF",
        "federation",
        "IN",
        "Tiruppur",
        ("ta", "en"),
        ("C",),
        1998,
        45000,
        "Asia/Kolkata",
        "Federation of knitwear and garment unions of the Tiruppur cluster.",
    ),
    _Org(
        "mep",
        "Mazdoor Ekta Party",
        "MEP",
        "party",
        "IN",
        "New Delhi",
        ("hi", "en"),
        (),
        1977,
        20000,
        "Asia/Kolkata",
        "Workers' Unity Party, strongest among the industrial workers of the north.",
    ),
    _Org(
        "bgws",
        "Bangladesh Garment Workers' Solidarity",
        "BGWS",
        "movement",
        "BD",
        "Gazipur",
        ("bn", "en"),
        ("C",),
        2013,
        8000,
        "Asia/Dhaka",
        "Founded after the factory collapses; verified by two vouches.",
    ),
    _Org(
        "sbpi",
        "Serikat Buruh Pelabuhan Indonesia",
        "SBPI",
        "union",
        "ID",
        "Jakarta",
        ("id",),
        ("H",),
        2000,
        14000,
        "Asia/Jakarta",
        "Port workers' union of Tanjung Priok and the Java ports.",
    ),
    _Org(
        "ammp",
        "Alyansa ng mga Manggagawa sa Minahan ng Pilipinas",
        "AMMP",
        "union",
        "PH",
        "Davao City",
        ("fil", "en"),
        ("B",),
        2011,
        4000,
        "Asia/Manila",
        "Alliance of nickel and gold mineworkers of Mindanao.",
        verified=False,
    ),
    _Org(
        "dtis",
        "Devrimci Tekstil İşçileri Sendikası",
        "DTİS",
        "union",
        "TR",
        "İstanbul",
        ("tr",),
        ("C",),
        1975,
        11000,
        "Europe/Istanbul",
        "Textile and garment workers of İstanbul, Bursa and Denizli.",
    ),
    _Org(
        "yptwu",
        "Yokohama Port and Transport Workers' Union",
        "YPTWU",
        "union",
        "JP",
        "Yokohama",
        ("ja",),
        ("H",),
        1947,
        7000,
        "Asia/Tokyo",
        "Stevedores and transport workers of the port of Yokohama.",
    ),
    _Org(
        "mdwn",
        "Migrant Domestic Workers' Network",
        "MDWN",
        "movement",
        "LB",
        "Beirut",
        ("ar", "en", "am"),
        ("T",),
        2016,
        None,
        "Asia/Beirut",
        "Self-organized network of migrant domestic workers.",
        verified=False,
    ),
    # Europe
    _Org(
        "gtl",
        "Gewerkschaft Transport und Logistik",
        "GTL",
        "union",
        "DE",
        "Hamburg",
        ("de",),
        ("H",),
        1949,
        88000,
        "Europe/Berlin",
        "Transport and logistics union: ports, warehouses, rail freight.",
    ),
    _Org(
        "ftth",
        "Fédération des travailleurs du textile et de l'habillement",
        "FTTH",
        "federation",
        "FR",
        "Roubaix",
        ("fr",),
        ("C",),
        1920,
        26000,
        "Europe/Paris",
        "Textile, clothing and laundry workers' federation.",
    ),
    _Org(
        "sea",
        "Sindicato de Estibadores de Algeciras",
        "SEA",
        "union",
        "ES",
        "Algeciras",
        ("es",),
        ("H",),
        1977,
        2100,
        "Europe/Madrid",
        "Dockworkers of the bay of Algeciras.",
    ),
    _Org(
        "zzpm",
        "Związek Zawodowy Pracowników Magazynów",
        "ZZPM",
        "union",
        "PL",
        "Poznań",
        ("pl",),
        ("H",),
        2012,
        5000,
        "Europe/Warsaw",
        "Warehouse workers of the logistics parks around Poznań and Wrocław.",
    ),
    _Org(
        "poi",
        "Partito Operaio Internazionalista",
        "POI",
        "party",
        "IT",
        "Torino",
        ("it",),
        (),
        1981,
        4200,
        "Europe/Rome",
        "Internationalist workers' party of the industrial north.",
    ),
    _Org(
        "wisc",
        "Workers' International Solidarity Campaign",
        "WISC",
        "movement",
        "GB",
        "Manchester",
        ("en",),
        (),
        1985,
        None,
        "Europe/London",
        "Campaigns for imprisoned trade unionists and against union-busting abroad.",
    ),
    _Org(
        "nsf",
        "Nordic Solidarity Fund",
        "NSF",
        "other",
        "SE",
        "Göteborg",
        ("sv", "en"),
        (),
        1972,
        None,
        "Europe/Stockholm",
        "Strike and disaster funds of Nordic unions, for workers abroad.",
    ),
    # Oceania
    _Org(
        "wwua",
        "Waterfront Workers' Union of Australia",
        "WWUA",
        "union",
        "AU",
        "Sydney",
        ("en",),
        ("H",),
        1902,
        13000,
        "Australia/Sydney",
        "Wharfies of Port Botany, Melbourne and Fremantle.",
    ),
    _Org(
        "fgawu",
        "Fiji Garment and Allied Workers' Union",
        "FGAWU",
        "union",
        "FJ",
        "Suva",
        ("en", "fj", "hif"),
        ("C",),
        1988,
        3000,
        "Pacific/Fiji",
        "Garment, footwear and allied workers of Suva and Lautoka.",
    ),
    _Org(
        "pngmwa",
        "PNG Mineworkers' Association",
        "PNGMWA",
        "union",
        "PG",
        "Port Moresby",
        ("en", "tpi"),
        ("B",),
        2009,
        2500,
        "Pacific/Port_Moresby",
        "Mineworkers of the highlands gold and copper mines.",
        verified=False,
    ),
    _Org(
        "awsm",
        "Aotearoa Workers' Solidarity Movement",
        "AWSM",
        "movement",
        "NZ",
        "Wellington",
        ("en", "mi"),
        (),
        2003,
        None,
        "Pacific/Auckland",
        "Solidarity with the workers of the Pacific: twinning, delegations, aid.",
    ),
)

# (e-mail name, full name, interface language, organization slug, role). Each organization's
# first person listed is its admin; a person may appear more than once (several organizations).
PEOPLE: tuple[tuple[str, str, str, str, str], ...] = (
    ("chinedu", "Chinedu Eze", "en", "ndpwu", "admin"),
    ("amara", "Amara Okafor", "en", "ndpwu", "secretary"),
    ("tunde", "Tunde Bakare", "en", "ndpwu", "member"),
    ("ngozi", "Ngozi Adeyemi", "en", "ndpwu", "observer"),
    ("thandiwe", "Thandiwe Mokoena", "en", "mawusa", "admin"),
    ("sipho", "Sipho Dlamini", "en", "mawusa", "secretary"),
    ("wanjiru", "Wanjiru Kamau", "en", "ktgwu", "admin"),
    ("otieno", "Otieno Ouma", "en", "ktgwu", "secretary"),
    ("youssef", "Youssef El Amrani", "ar", "fmtl", "admin"),
    ("omar", "Omar Benali", "fr", "fmtl", "observer"),
    ("hoda", "Hoda Mansour", "ar", "itwc-mahalla", "admin"),
    ("awa", "Awa Diop", "fr", "pts", "admin"),
    ("neema", "Neema Mushi", "en", "uwama", "admin"),
    ("ana", "Ana Ribeiro", "", "sintlog", "admin"),
    ("thiago", "Thiago Nascimento", "", "sintlog", "secretary"),
    ("juliana", "Juliana Costa", "", "sintlog", "member"),
    ("rafael", "Rafael Lima", "", "sintlog", "observer"),
    ("marcos", "Marcos Almeida", "", "fenatral", "admin"),
    ("marcos", "Marcos Almeida", "", "sintlog", "member"),
    ("lucia", "Lucía Fernández", "es", "sittba", "admin"),
    ("martin", "Martín Gómez", "es", "sittba", "secretary"),
    ("guadalupe", "Guadalupe Hernández", "es", "fatm", "admin"),
    ("rosa", "Rosa Martínez", "es", "fatm", "secretary"),
    ("camila", "Camila Rojas", "es", "feminor", "admin"),
    ("diego", "Diego Soto", "es", "feminor", "secretary"),
    ("jasmine", "Jasmine Carter", "en", "iwwu", "admin"),
    ("luis", "Luis Ramírez", "es", "iwwu", "secretary"),
    ("tyrone", "Tyrone Brooks", "en", "iwwu", "member"),
    ("emilie", "Émilie Tremblay", "fr", "cst", "admin"),
    ("andres", "Andrés Castaño", "es", "pti-co", "admin"),
    ("minjun", "Kim Min-jun", "en", "klwu", "admin"),
    ("jiwoo", "Park Ji-woo", "en", "klwu", "secretary"),
    ("seoyeon", "Lee Seo-yeon", "en", "klwu", "member"),
    ("hyunwoo", "Choi Hyun-woo", "en", "klwu", "observer"),
    ("lakshmi", "Lakshmi Subramanian", "en", "tngwf", "admin"),
    ("priya", "Priya Raman", "en", "tngwf", "secretary"),
    ("karthik", "Karthik Murugan", "en", "tngwf", "member"),
    ("rajesh", "Rajesh Kumar", "en", "mep", "admin"),
    ("sunita", "Sunita Yadav", "en", "mep", "secretary"),
    ("nasrin", "Nasrin Akter", "en", "bgws", "admin"),
    ("rahim", "Rahim Uddin", "en", "bgws", "secretary"),
    ("siti", "Siti Rahayu", "en", "sbpi", "admin"),
    ("budi", "Budi Santoso", "en", "sbpi", "secretary"),
    ("maricel", "Maricel Dela Cruz", "en", "ammp", "admin"),
    ("elif", "Elif Yılmaz", "en", "dtis", "admin"),
    ("mehmet", "Mehmet Demir", "en", "dtis", "secretary"),
    ("haruka", "Sato Haruka", "en", "yptwu", "admin"),
    ("meron", "Meron Tesfaye", "ar", "mdwn", "admin"),
    ("jonas", "Jonas Weber", "en", "gtl", "admin"),
    ("sabine", "Sabine Krüger", "en", "gtl", "secretary"),
    ("lena", "Lena Hoffmann", "en", "gtl", "member"),
    ("tobias", "Tobias Schmidt", "en", "gtl", "observer"),
    ("camille", "Camille Lefèvre", "fr", "ftth", "admin"),
    ("nicolas", "Nicolas Moreau", "fr", "ftth", "secretary"),
    ("javier", "Javier Ruiz", "es", "sea", "admin"),
    ("carmen", "Carmen Navarro", "es", "sea", "secretary"),
    ("agnieszka", "Agnieszka Nowak", "en", "zzpm", "admin"),
    ("piotr", "Piotr Wiśniewski", "en", "zzpm", "member"),
    ("giulia", "Giulia Russo", "en", "poi", "admin"),
    ("fiona", "Fiona McLeod", "en", "wisc", "admin"),
    ("daniel", "Daniel Hughes", "en", "wisc", "member"),
    ("erik", "Erik Lindberg", "en", "nsf", "admin"),
    ("sarah", "Sarah Mitchell", "en", "wwua", "admin"),
    ("liam", "Liam O'Connor", "en", "wwua", "secretary"),
    ("mereani", "Mereani Vakacegu", "en", "fgawu", "admin"),
    ("anil", "Anil Prasad", "en", "fgawu", "secretary"),
    ("kila", "Kila Kaupa", "en", "pngmwa", "admin"),
    ("aroha", "Aroha Ngata", "en", "awsm", "admin"),
)
OPERATOR = ("oscar", "Oscar Lindqvist", "en")

_d = datetime.date
# (proposer, partner, kind, since, status, visibility)
RELATIONS: tuple[tuple[str, str, str, datetime.date | None, str, str], ...] = (
    ("sintlog", "klwu", "fraternal", _d(2016, 5, 1), "accepted", "public"),
    ("sintlog", "fenatral", "federation", _d(1996, 3, 15), "accepted", "public"),
    ("ndpwu", "sintlog", "fraternal", _d(2018, 11, 20), "accepted", "network"),
    ("ndpwu", "gtl", "cooperation", _d(2019, 6, 12), "accepted", "network"),
    ("klwu", "gtl", "cooperation", _d(2017, 9, 4), "accepted", "network"),
    ("klwu", "sbpi", "fraternal", _d(2014, 2, 10), "accepted", "public"),
    ("gtl", "zzpm", "cooperation", _d(2020, 1, 27), "accepted", "network"),
    ("sea", "wwua", "fraternal", _d(2011, 10, 3), "accepted", "public"),
    ("sea", "fmtl", "cooperation", _d(2015, 4, 22), "accepted", "network"),
    ("iwwu", "gtl", "fraternal", _d(2021, 3, 8), "accepted", "network"),
    ("iwwu", "sintlog", "fraternal", _d(2022, 8, 30), "accepted", "network"),
    ("wwua", "sbpi", "fraternal", _d(2009, 7, 15), "accepted", "public"),
    ("yptwu", "klwu", "fraternal", _d(2012, 5, 1), "accepted", "public"),
    ("fenatral", "fmtl", "cooperation", _d(2019, 10, 14), "accepted", "network"),
    ("tngwf", "bgws", "fraternal", _d(2014, 4, 24), "accepted", "public"),
    ("ftth", "tngwf", "cooperation", _d(2016, 11, 10), "accepted", "network"),
    ("ftth", "dtis", "fraternal", _d(2010, 3, 8), "accepted", "public"),
    ("sittba", "fatm", "fraternal", _d(2005, 12, 10), "accepted", "public"),
    ("ktgwu", "ftth", "cooperation", _d(2018, 2, 19), "accepted", "network"),
    ("itwc-mahalla", "dtis", "fraternal", _d(2012, 7, 1), "accepted", "addressed"),
    ("feminor", "mawusa", "fraternal", _d(2007, 10, 12), "accepted", "public"),
    ("mawusa", "ktgwu", "federation", _d(1999, 5, 1), "accepted", "public"),
    ("mep", "poi", "fraternal", _d(1989, 11, 7), "accepted", "public"),
    ("pts", "poi", "fraternal", _d(2001, 5, 1), "accepted", "public"),
    ("wisc", "cst", "cooperation", _d(1992, 6, 20), "accepted", "public"),
    ("nsf", "ktgwu", "cooperation", _d(2020, 9, 1), "accepted", "network"),
    ("nsf", "uwama", "cooperation", _d(2017, 3, 1), "accepted", "network"),
    ("fgawu", "awsm", "fraternal", _d(2010, 5, 1), "accepted", "public"),
    ("awsm", "wwua", "cooperation", _d(2008, 3, 15), "accepted", "network"),
    ("sea", "gtl", "fraternal", _d(2003, 6, 1), "ended", "network"),
    ("wisc", "mep", "cooperation", None, "declined", "network"),
    # Waiting for an answer: each puts an entry in the partner's inbox.
    ("klwu", "ndpwu", "cooperation", _d(2025, 1, 1), "proposed", "network"),
    ("bgws", "dtis", "cooperation", None, "proposed", "network"),
    ("fatm", "iwwu", "cooperation", None, "proposed", "network"),
    ("pngmwa", "mawusa", "fraternal", None, "proposed", "network"),
    ("uwama", "ktgwu", "fraternal", None, "proposed", "network"),
)

# (name, slug, headquarters, website, description, [(site, country, city, [organization slugs])],
#  [organizations present at the employer in general, without a site])
EMPLOYERS: tuple[Any, ...] = (
    (
        "Meridian Freight Group",
        "meridian-freight",
        "NL",
        "https://meridian-freight.example",
        "Container terminals, warehousing and road freight on five continents.",
        [
            ("Apapa container terminal", "NG", "Lagos", ["ndpwu"]),
            ("Busan New Port terminal", "KR", "Busan", ["klwu"]),
            ("Santos distribution centre", "BR", "Santos", ["sintlog"]),
            ("Hamburg Waltershof terminal", "DE", "Hamburg", ["gtl"]),
            ("Inland Empire fulfilment centre", "US", "Ontario, California", ["iwwu"]),
            ("Poznań logistics hub", "PL", "Poznań", ["zzpm"]),
            ("Algeciras transshipment terminal", "ES", "Algeciras", ["sea"]),
            ("Tanjung Priok terminal", "ID", "Jakarta", ["sbpi"]),
            ("Port Botany terminal", "AU", "Sydney", ["wwua"]),
            ("Casablanca logistics park", "MA", "Casablanca", ["fmtl"]),
            ("Honmoku pier", "JP", "Yokohama", ["yptwu"]),
            ("Rotterdam Maasvlakte terminal", "NL", "Rotterdam", []),
        ],
        ["fenatral"],
    ),
    (
        "Corvina Apparel",
        "corvina-apparel",
        "ES",
        "https://corvina-apparel.example",
        "Clothing brand and manufacturer with its own factories and suppliers.",
        [
            ("Tiruppur knitwear plant", "IN", "Tiruppur", ["tngwf"]),
            ("Gazipur garment factory", "BD", "Gazipur", ["bgws"]),
            ("Bayrampaşa workshop", "TR", "İstanbul", ["dtis"]),
            ("Juárez maquiladora", "MX", "Ciudad Juárez", ["fatm"]),
            ("Athi River EPZ factory", "KE", "Athi River", ["ktgwu"]),
            ("Mahalla spinning mill", "EG", "El-Mahalla El-Kubra", ["itwc-mahalla"]),
            ("Suva garment factory", "FJ", "Suva", ["fgawu"]),
            ("Buenos Aires cutting centre", "AR", "Buenos Aires", ["sittba"]),
            ("Roubaix distribution centre", "FR", "Roubaix", ["ftth"]),
        ],
        [],
    ),
    (
        "Austral Minerals",
        "austral-minerals",
        "GB",
        "https://austral-minerals.example",
        "Copper, platinum, gold and nickel mining.",
        [
            ("Escondida Norte copper mine", "CL", "Antofagasta", ["feminor"]),
            ("Rustenburg platinum mine", "ZA", "Rustenburg", ["mawusa"]),
            ("Highlands gold mine", "PG", "Porgera", ["pngmwa"]),
            ("Mindanao nickel mine", "PH", "Surigao", ["ammp"]),
        ],
        [],
    ),
)

# (organization vouched for, voucher). Two vouches verified BGWS; the others wait for a second.
VOUCHES: tuple[tuple[str, str], ...] = (
    ("bgws", "tngwf"),
    ("bgws", "ftth"),
    ("ammp", "feminor"),
    ("pngmwa", "wwua"),
    ("mdwn", "wisc"),
)


def is_loaded() -> bool:
    return Organization.objects.filter(slug=MARKER_SLUG).exists()


def people_wanted() -> dict[str, tuple[str, str, str, bool]]:
    """The demo people for accounts/demo.py: {e-mail name: (full name, language, time zone,
    operator)}, each in the time zone of their first organization."""
    time_zones = {o.slug: o.time_zone for o in ORGANIZATIONS}
    wanted: dict[str, tuple[str, str, str, bool]] = {
        OPERATOR[0]: (OPERATOR[1], OPERATOR[2], "Europe/Stockholm", True)
    }
    for local, name, language, slug, _role in PEOPLE:
        wanted.setdefault(local, (name, language, time_zones[slug], False))
    return wanted


def demo_organizations() -> dict[str, Any] | None:
    """The demo organizations by their slug in ORGANIZATIONS, or None if any is gone.

    Found through their demo admin, as a slug taken before the demo was loaded gave the demo
    organization another one (and someone else's organization may hold the demo slug).
    """
    admins: dict[str, str] = {}
    for local, _name, _language, slug, role in PEOPLE:
        if role == "admin":
            admins.setdefault(slug, demo_email(local))
    held = list(
        Membership.objects.filter(
            role=Membership.Role.ADMIN, user__email__in=admins.values()
        ).select_related("organization", "user")
    )
    orgs = {}
    for spec in ORGANIZATIONS:
        candidates = [m.organization for m in held if m.user.email == admins[spec.slug]]
        found = [o for o in candidates if o.slug == spec.slug] or [
            o for o in candidates if o.name == spec.name
        ]
        if not found:
            return None
        orgs[spec.slug] = found[0]
    return orgs


def create_organizations(people: dict[str, Any]) -> dict[str, Any]:
    admins: dict[str, str] = {}
    for local, _name, _language, slug, role in PEOPLE:
        if role == "admin":
            admins.setdefault(slug, local)
    taken = set(
        Organization.objects.filter(slug__in=[o.slug for o in ORGANIZATIONS]).values_list(
            "slug", flat=True
        )
    )
    orgs = {}
    for spec in ORGANIZATIONS:
        extra = {"slug": spec.slug} if spec.slug not in taken else {}
        orgs[spec.slug] = organization_create(
            actor=System(reason="demo"),
            admin=people[admins[spec.slug]],
            name=spec.name,
            short_name=spec.short_name,
            country=spec.country,
            kind=spec.kind,
            city=spec.city,
            languages=spec.languages,
            sectors=spec.sectors,
            verified=spec.verified,
            founded_year=spec.founded,
            membership_size=spec.size,
            website=f"https://{spec.slug}.example",
            description=spec.description,
            public_contact=f"international@{spec.slug}.example",
            **extra,
        )
    Membership.objects.bulk_create(
        [
            Membership(user=people[local], organization=orgs[slug], role=role)
            for local, _name, _language, slug, role in PEOPLE
            if admins[slug] != local or role != "admin"
        ]
    )
    return orgs


def speaker(slug: str, people: dict[str, Any]) -> Any:
    """The person who speaks for an organization: its secretary, else its admin."""
    return people[speaker_local(slug)]


def speaker_local(slug: str) -> str:
    roles = {role: local for local, _n, _l, s, role in reversed(PEOPLE) if s == slug}
    return roles.get("secretary") or roles["admin"]


def create_relations(orgs: dict[str, Any], people: dict[str, Any]) -> None:
    now = timezone.now()
    Relation.objects.bulk_create(
        [
            Relation(
                proposer=orgs[proposer],
                partner=orgs[partner],
                kind=kind,
                since=since,
                status=status,
                visibility=visibility,
                proposed_by=speaker(proposer, people),
                decided_at=None if status == "proposed" else now,
            )
            for proposer, partner, kind, since, status, visibility in RELATIONS
        ]
    )


def create_employers(orgs: dict[str, Any], people: dict[str, Any]) -> None:
    operator = people[OPERATOR[0]]
    presences = []
    for name, slug, hq, website, description, sites, general in EMPLOYERS:
        if Employer.objects.filter(slug=slug).exists():
            continue
        employer = Employer.objects.create(
            name=name,
            slug=slug,
            headquarters=hq,
            website=website,
            description=description,
            created_by=operator,
        )
        made = EmployerSite.objects.bulk_create(
            [
                EmployerSite(employer=employer, name=site, country=country, city=city)
                for site, country, city, _orgs in sites
            ]
        )
        # The unions at Meridian make their presence public, so that a visitor who does not sign
        # in finds them; elsewhere presences are shared with the network, the default.
        shown = {"visibility": Visibility.PUBLIC} if slug == "meridian-freight" else {}
        for site, (_s, _c, _city, present) in zip(made, sites, strict=True):
            presences += [
                Presence(organization=orgs[o], employer=employer, site=site, **shown)
                for o in present
            ]
        presences += [Presence(organization=orgs[o], employer=employer, **shown) for o in general]
    Presence.objects.bulk_create(presences)


def create_vouches(orgs: dict[str, Any], people: dict[str, Any]) -> None:
    Vouch.objects.bulk_create(
        [
            Vouch(
                organization=orgs[org], voucher=orgs[voucher], vouched_by=speaker(voucher, people)
            )
            for org, voucher in VOUCHES
        ]
    )
