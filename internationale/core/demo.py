"""The demo network: invented but realistic organizations, people, relations and employers.

Everything is fixed (no randomness), so two demo servers hold the same network and the README,
tests and journeys can name its people. Every demo person signs in with DEMO_PASSWORD.

`load_demo()` creates it once. When the marker organization exists it only completes what a demo
loaded by an earlier version lacks (the appeals, added in a later version), and otherwise does nothing.
It completes only a demo left as it was, on a server with no organizations of its own: it creates no
one (not even a demo person deleted since), and it adds nothing rather than fail.
"""

import datetime
from dataclasses import dataclass
from typing import Any, Protocol

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from internationale.core.actors import System

DEMO_PASSWORD = "solidarity-demo"  # noqa: S105 - documented, for demo accounts only
DEMO_DOMAIN = "demo.internationale.example"
MARKER_SLUG = "ndpwu"  # the first demo organization: its presence means the demo is loaded


class _Writer(Protocol):
    def write(self, text: str, /) -> Any: ...


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


@dataclass(frozen=True)
class DemoSignIn:
    email: str
    name: str
    role: str  # admin, secretary, member, observer; or "operator"
    organization: str  # its name, "" for the operator
    note: str = ""


# The sign-ins worth knowing, for the README and for `internationale serve` to print.
DEMO_SIGN_INS: tuple[DemoSignIn, ...] = (
    DemoSignIn(
        demo_email("amara"),
        "Amara Okafor",
        "secretary",
        "Nigerian Dock and Port Workers' Union",
        "at Meridian Freight, Lagos",
    ),
    DemoSignIn(
        demo_email("jiwoo"),
        "Park Ji-woo",
        "secretary",
        "Korean Logistics Workers' Union",
        "at Meridian Freight, Busan",
    ),
    DemoSignIn(
        demo_email("priya"),
        "Priya Raman",
        "secretary",
        "Tamil Nadu Garment Workers' Federation",
        "at Corvina Apparel, Tiruppur",
    ),
    DemoSignIn(
        demo_email("ana"),
        "Ana Ribeiro",
        "admin",
        "Sindicato dos Trabalhadores em Logística de Santos",
    ),
    DemoSignIn(
        demo_email("lena"), "Lena Hoffmann", "member", "Gewerkschaft Transport und Logistik"
    ),
    DemoSignIn(
        demo_email("omar"),
        "Omar Benali",
        "observer",
        "Fédération marocaine des travailleurs de la logistique",
    ),
    DemoSignIn(
        demo_email("kila"),
        "Kila Kaupa",
        "admin",
        "PNG Mineworkers' Association",
        "not yet verified: one vouch so far",
    ),
    DemoSignIn(demo_email("oscar"), "Oscar Lindqvist", "operator", "", "server operator"),
)


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
    from internationale.organizations.models import Organization

    return Organization.objects.filter(slug=MARKER_SLUG).exists()


def load_demo(stdout: _Writer | None = None) -> bool:
    """Create the demo network, or complete one loaded by an earlier version (one without appeals).

    Returns whether anything was added: loading again, once the demo is complete, changes nothing.
    """

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")
            if hasattr(stdout, "flush"):
                stdout.flush()

    with transaction.atomic():
        if not is_loaded():
            people = _create_people()
            orgs = _create_organizations(people)
            _create_relations(orgs, people)
            _create_employers(orgs, people)
            _create_vouches(orgs, people)
            _create_inbox(orgs)
            _create_appeals(orgs, people)
            say(
                f"Demo network loaded: {len(orgs)} organizations in "
                f"{len({o.country for o in ORGANIZATIONS})} countries, {len(people)} people, "
                f"{len(EMPLOYERS)} multinational employers."
            )
            return True
    added = _complete_appeals()
    if isinstance(added, str):
        say(added)
    elif added:
        say(f"The demo network is already loaded; added the demo appeals: {added}, in every state.")
    else:
        say("The demo network is already loaded, with its appeals: nothing to add.")
    return isinstance(added, int) and added > 0


_CHANGED = (
    "The demo network is already loaded, but it has changed since ({}); "
    "the demo appeals were not added."
)
_NOT_ALONE = (
    "The demo network is already loaded, but this server has organizations of its own now; "
    "the demo appeals were not added, so that invented appeals reach no real inbox."
)


def _complete_appeals() -> int | str:
    """Add the demo appeals to a demo network loaded without them, by a version before appeals.

    Returns how many were added (0 if they are there already), or the line that says why none were:
    the demo has changed since (someone or something the appeals need is gone), or the server has
    organizations of its own, which the appeals (routed, then widened to a region) would reach.
    Never raises for these: `serve --demo` goes on serving.
    """
    from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
    from django.db import IntegrityError
    from django.http import Http404

    from internationale.organizations.models import Organization

    with transaction.atomic():
        orgs = _demo_organizations()
        if orgs is None:
            return _CHANGED.format("some of its organizations are gone")
        # One loader at a time (on PostgreSQL; SQLite writes one at a time anyway): a second one
        # waits here, then finds the appeals the first added.
        Organization.objects.select_for_update().get(pk=orgs[MARKER_SLUG].pk)
        if _demo_appeals(orgs).exists():
            return 0
        demo_ids = [o.pk for o in orgs.values()]
        if Organization.objects.filter(verified_at__isnull=False).exclude(pk__in=demo_ids).exists():
            return _NOT_ALONE
        people, changes = _appeal_actors(orgs)
        if changes:
            more = f", and {len(changes) - 3} more" if len(changes) > 3 else ""
            return _CHANGED.format("; ".join(changes[:3]) + more)
        # Whatever the check above missed (a presence removed, say) fails in a service: undone
        # entirely, and said as the rest is.
        try:
            with transaction.atomic():
                _create_appeals(orgs, people)
        except (
            PermissionDenied,
            ValidationError,
            LookupError,
            ObjectDoesNotExist,
            Http404,
            IntegrityError,
        ) as exc:
            why = "; ".join(exc.messages) if isinstance(exc, ValidationError) else repr(exc)
            return _CHANGED.format(f"creating the appeals failed: {why}")
        return _demo_appeals(orgs).count()


def _appeal_actors(orgs: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The demo people who act in the demo appeals, found, never created: an account deleted since
    (the demo operator's, say) stays deleted. Also what has changed since that the appeals need:
    an account gone or disabled, a speaking role lost, an organization no longer verified, an
    employer gone."""
    from internationale.accounts.models import User
    from internationale.core.predicates import SPEAKING_ROLES
    from internationale.organizations.models import Employer, Membership

    locals_ = {slug: _speaker_local(slug) for slug in APPEAL_ORGANIZATIONS}
    users = {
        u.email: u for u in User.objects.filter(email__in=[demo_email(x) for x in locals_.values()])
    }
    roles = {
        (m.user_id, m.organization_id): m.role
        for m in Membership.objects.filter(
            user__in=users.values(), organization__in=[orgs[s] for s in APPEAL_ORGANIZATIONS]
        )
    }
    names = {local: name for local, name, _language, _slug, _role in PEOPLE}
    people: dict[str, Any] = {}
    changes = []
    for slug in APPEAL_ORGANIZATIONS:
        local, org = locals_[slug], orgs[slug]
        user = users.get(demo_email(local))
        if user is None or not user.is_active:
            changes.append(f"the account of {names[local]} is gone or disabled")
        elif roles.get((user.pk, org.pk)) not in SPEAKING_ROLES:
            changes.append(f"{names[local]} no longer speaks for {org.short_name or org.name}")
        else:
            people[local] = user
        if org.verified_at is None:
            changes.append(f"{org.short_name or org.name} is no longer verified")
    found = set(Employer.objects.filter(slug__in=APPEAL_EMPLOYERS).values_list("slug", flat=True))
    employers = {slug: name for name, slug, *_rest in EMPLOYERS}
    changes += [f"{employers[s]} is gone" for s in APPEAL_EMPLOYERS if s not in found]
    return people, list(dict.fromkeys(changes))


def _demo_organizations() -> dict[str, Any] | None:
    """The demo organizations by their slug in ORGANIZATIONS, or None if any is gone.

    Found through their demo admin, as a slug taken before the demo was loaded gave the demo
    organization another one (and someone else's organization may hold the demo slug).
    """
    from internationale.organizations.models import Membership

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


def _demo_appeals(orgs: dict[str, Any]) -> Any:
    """The demo appeals: a demo organization's appeals with a demo title. Appeals people have
    written since, even as a demo organization, are not among them."""
    from internationale.appeals.models import Appeal

    return Appeal.objects.filter(
        organization__in=list(orgs.values()), title__in=APPEAL_TITLES.values()
    )


def _create_people() -> dict[str, Any]:
    from allauth.account.models import EmailAddress

    from internationale.accounts.models import User

    time_zones = {o.slug: o.time_zone for o in ORGANIZATIONS}
    wanted: dict[str, tuple[str, str, str, bool]] = {
        OPERATOR[0]: (OPERATOR[1], OPERATOR[2], "Europe/Stockholm", True)
    }
    for local, name, language, slug, _role in PEOPLE:
        wanted.setdefault(local, (name, language, time_zones[slug], False))
    emails = {demo_email(local): local for local in wanted}
    existing = {u.email: u for u in User.objects.filter(email__in=emails)}
    # One hash for everyone: hashing dozens of times would take seconds with a real hasher.
    password = make_password(DEMO_PASSWORD)
    User.objects.bulk_create(
        [
            User(
                email=email,
                name=wanted[local][0],
                language=wanted[local][1],
                time_zone=wanted[local][2],
                is_staff=wanted[local][3],
                is_superuser=wanted[local][3],
                password=password,
            )
            for email, local in emails.items()
            if email not in existing
        ]
    )
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    confirmed = set(EmailAddress.objects.filter(email__in=emails).values_list("email", flat=True))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=users[email], email=email, primary=True, verified=True)
            for email in emails
            if email not in confirmed
        ]
    )
    return {local: users[email] for email, local in emails.items()}


def _create_organizations(people: dict[str, Any]) -> dict[str, Any]:
    from internationale.organizations.models import Membership, Organization
    from internationale.organizations.services import organization_create

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


def _speaker(slug: str, people: dict[str, Any]) -> Any:
    """The person who speaks for an organization: its secretary, else its admin."""
    return people[_speaker_local(slug)]


def _speaker_local(slug: str) -> str:
    roles = {role: local for local, _n, _l, s, role in reversed(PEOPLE) if s == slug}
    return roles.get("secretary") or roles["admin"]


def _create_relations(orgs: dict[str, Any], people: dict[str, Any]) -> None:
    from internationale.organizations.models import Relation

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
                proposed_by=_speaker(proposer, people),
                decided_at=None if status == "proposed" else now,
            )
            for proposer, partner, kind, since, status, visibility in RELATIONS
        ]
    )


def _create_employers(orgs: dict[str, Any], people: dict[str, Any]) -> None:
    from internationale.organizations.models import Employer, EmployerSite, Presence

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
        for site, (_s, _c, _city, present) in zip(made, sites, strict=True):
            presences += [
                Presence(organization=orgs[o], employer=employer, site=site) for o in present
            ]
        presences += [Presence(organization=orgs[o], employer=employer) for o in general]
    Presence.objects.bulk_create(presences)


def _create_vouches(orgs: dict[str, Any], people: dict[str, Any]) -> None:
    from internationale.organizations.models import Vouch

    Vouch.objects.bulk_create(
        [
            Vouch(
                organization=orgs[org], voucher=orgs[voucher], vouched_by=_speaker(voucher, people)
            )
            for org, voucher in VOUCHES
        ]
    )


def _create_inbox(orgs: dict[str, Any]) -> None:
    from internationale.notifications.models import Urgency
    from internationale.notifications.services import inbox_deliver
    from internationale.organizations.models import Relation

    # As relation_propose does, without e-mailing anyone.
    for relation in Relation.objects.filter(
        status=Relation.Status.PROPOSED, proposer__in=orgs.values()
    ).select_related("proposer", "partner"):
        inbox_deliver(
            organizations=[relation.partner],
            kind="relation.proposed",
            title_format="relation.proposed",
            title_params={"org": relation.proposer.name},
            confidential=relation.visibility != "public",
            url=f"/organizations/{relation.partner.slug}/relations/",
            source=relation,
            notify=False,
        )
    meridian = [o for site in EMPLOYERS[0][5] for o in site[3]]
    inbox_deliver(
        organizations=[orgs[o] for o in meridian],
        kind="notice",
        key="demo:meridian-coordination",
        title="Meridian Freight: coordination call of the port unions before the contract talks",
        summary="Proposed by KLWU and GTL: one call of all unions at Meridian Freight sites, "
        "to compare wages, safety records and the company's plans for automation.",
        urgency=Urgency.URGENT,
        notify=False,
    )
    inbox_deliver(
        organizations=[o for o in orgs.values() if o.verified_at is not None],
        kind="notice",
        key="demo:welcome",
        title="Welcome to the demo network of Internationale",
        summary="Everything here is invented. Try an appeal, a relation or a vouch; "
        "every demo person signs in with the same password.",
        notify=False,
    )


# The demo appeals by their titles, which tell them from appeals people write themselves.
APPEAL_TITLES: dict[str, str] = {
    "tiruppur": "Strike at Corvina Apparel, Tiruppur: 3,000 workers out for a living wage",
    "rustenburg": "Seven shop stewards arrested at the Rustenburg platinum mine",
    "buenos_aires": "Huelga en el centro de corte de Buenos Aires",
    "roubaix": "Licenciements au centre de distribution de Roubaix",
    "santos": "Demissões no centro de distribuição de Santos",
}
# The organizations whose speakers act in the demo appeals (issue, answer, pledge, confirm) and the
# employers they name: completing an older demo needs them all still in place. (A person missing
# here fails the completion test: `_complete_appeals` passes only these speakers.)
APPEAL_ORGANIZATIONS = (
    "tngwf",
    "bgws",
    "ftth",
    "dtis",
    "ktgwu",
    "mawusa",
    "feminor",
    "sittba",
    "fatm",
    "sintlog",
)
APPEAL_EMPLOYERS = ("corvina-apparel", "austral-minerals", "meridian-freight")


# Appeals in every state, in several languages, with their answers. Sent by the services, as on
# the site; their inbox entries are put in place here without e-mailing anyone (the background
# delivery, when a worker runs, then finds nothing new to deliver or send).
def _create_appeals(orgs: dict[str, Any], people: dict[str, Any]) -> None:
    from decimal import Decimal

    from internationale.aid.services import contribution_confirm, contribution_declare
    from internationale.appeals.models import Addressee, Appeal
    from internationale.appeals.notices import confidential
    from internationale.appeals.routing import Criteria
    from internationale.appeals.services import (
        appeal_acknowledge,
        appeal_close,
        appeal_create,
        appeal_decline,
        appeal_escalate,
        appeal_post_update,
        appeal_resolve,
        appeal_send,
        pledge_create,
    )
    from internationale.notifications.services import inbox_deliver
    from internationale.organizations.models import Employer

    employers = {e.slug: e for e in Employer.objects.all()}
    soon = timezone.now() + datetime.timedelta(days=14)

    def issue(slug: str, criteria: Criteria | None, **fields: Any) -> Any:
        appeal = appeal_create(actor=_speaker(slug, people), organization=orgs[slug], **fields)
        if criteria is None:
            return appeal
        appeal_send(actor=_speaker(slug, people), appeal=appeal, criteria=criteria)
        deliver(appeal)
        return appeal

    def deliver(appeal: Any) -> None:
        ids = list(
            Addressee.objects.filter(appeal=appeal).values_list("organization_id", flat=True)
        )
        inbox_deliver(
            organizations=ids,
            kind="appeal.received",
            key=f"appeal:{appeal.pk}",
            title=appeal.title,
            confidential=confidential(appeal),
            summary=appeal.text[:280],
            url=appeal.url,
            urgency=appeal.urgency,
            deadline=appeal.deadline,
            notify=False,
        )
        Addressee.objects.filter(appeal=appeal).update(delivered_at=timezone.now())

    def pledge(appeal: Any, slug: str, **fields: Any) -> Any:
        return pledge_create(
            actor=_speaker(slug, people), appeal=appeal, organization=orgs[slug], **fields
        )

    # Open: a strike at Corvina Apparel's Tiruppur plant, to the unions at its other sites.
    tiruppur = issue(
        "tngwf",
        Criteria(employer=True),
        title=APPEAL_TITLES["tiruppur"],
        text="Since Monday, 3,000 knitwear workers of the **Tiruppur plant** have been on strike "
        "for a living wage and against forced overtime. Management threatens mass dismissals.\n\n"
        "We ask every union at Corvina Apparel to write to the company and to support our "
        "strike fund.",
        language="en",
        situation="strike",
        urgency=1,
        country="IN",
        place="Tiruppur",
        employer=employers["corvina-apparel"],
        asks_propaganda=True,
        propaganda_details="Statements of support we can read at the gate.",
        asks_sympathy=True,
        sympathy_target="Corvina Apparel, chief executive",
        sympathy_address="Calle de Serrano 41, 28001 Madrid, Spain",
        asks_material_aid=True,
        aid_goal_amount=Decimal("25000"),
        aid_goal_currency="USD",
        deadline=soon,
        visibility="public",
    )
    appeal_acknowledge(actor=_speaker("bgws", people), appeal=tiruppur, organization=orgs["bgws"])
    pledge(
        tiruppur,
        "bgws",
        form="sympathy",
        description="Letters from our 40 factory committees.",
        public=True,
    )
    pledge(
        tiruppur,
        "ftth",
        form="material_aid",
        description="Collection at our congress.",
        amount=Decimal("2000"),
        currency="EUR",
        public=True,
    )
    pledge(tiruppur, "dtis", form="propaganda", description="A statement by our executive.")
    appeal_decline(
        actor=_speaker("ktgwu", people),
        appeal=tiruppur,
        organization=orgs["ktgwu"],
        reason="Our own members are locked out this month; we will write once we can.",
    )

    # Escalated: arrests at a mine; too few answered, so it was widened to the region.
    rustenburg = issue(
        "mawusa",
        Criteria(employer=True),
        title=APPEAL_TITLES["rustenburg"],
        text="Police arrested seven of our shop stewards after a safety stoppage. They are "
        "held without charge. Write to the Minister of Police and to Austral Minerals.",
        language="en",
        situation="arrests",
        urgency=1,
        country="ZA",
        place="Rustenburg",
        employer=employers["austral-minerals"],
        asks_sympathy=True,
        sympathy_target="Minister of Police",
        sympathy_address="Wachthuis Building, 231 Pretorius Street, Pretoria",
        deadline=soon,
        visibility="network",
        escalation_threshold=3,
        escalate_at=timezone.now() + datetime.timedelta(days=2),
    )
    Appeal.objects.filter(pk=rustenburg.pk).update(
        escalate_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    appeal_escalate(appeal_id=rustenburg.pk)
    deliver(rustenburg)
    appeal_acknowledge(
        actor=_speaker("feminor", people), appeal=rustenburg, organization=orgs["feminor"]
    )

    # Resolved: a strike in Buenos Aires, won with the help of material aid in two currencies.
    buenos_aires = issue(
        "sittba",
        Criteria(employer=True),
        title=APPEAL_TITLES["buenos_aires"],
        text="Las trabajadoras del centro de corte de Corvina Apparel están en huelga contra "
        "el cierre del turno noche. Pedimos cartas a la empresa y aportes al fondo de huelga.",
        language="es",
        situation="strike",
        urgency=0,
        country="AR",
        place="Buenos Aires",
        employer=employers["corvina-apparel"],
        asks_sympathy=True,
        sympathy_target="Corvina Apparel, dirección de recursos humanos",
        sympathy_address="Calle de Serrano 41, 28001 Madrid, España",
        asks_material_aid=True,
        aid_goal_amount=Decimal("3000"),
        aid_goal_currency="USD",
        deadline=soon,
        visibility="public",
    )
    for slug, amount, currency in (("fatm", "800", "USD"), ("ftth", "500", "EUR")):
        given = pledge(
            buenos_aires,
            slug,
            form="material_aid",
            description="Al fondo de huelga.",
            amount=Decimal(amount),
            currency=currency,
            public=True,
        )
        contribution = contribution_declare(
            actor=_speaker(slug, people),
            pledge=given,
            amount=Decimal(amount),
            currency=currency,
            reference=f"DEMO-{slug.upper()}",
        )
        contribution_confirm(actor=_speaker("sittba", people), contribution=contribution)
    pledge(buenos_aires, "tngwf", form="sympathy", description="Cartas de nuestros sindicatos.")
    appeal_post_update(
        actor=_speaker("sittba", people),
        appeal=buenos_aires,
        text="Día 12: la empresa acepta negociar.",
    )
    appeal_resolve(
        actor=_speaker("sittba", people),
        appeal=buenos_aires,
        outcome="won",
        report="El turno noche se mantiene y nadie fue despedido. ¡Gracias a todas!",
    )

    # Closed: dismissals in Roubaix, sent to the federation's partners.
    roubaix = issue(
        "ftth",
        Criteria(relations=True),
        title=APPEAL_TITLES["roubaix"],
        text="Corvina Apparel annonce 120 licenciements à Roubaix. Nous demandons des "
        "déclarations de soutien.",
        language="fr",
        situation="dismissals",
        urgency=0,
        country="FR",
        place="Roubaix",
        employer=employers["corvina-apparel"],
        asks_propaganda=True,
        visibility="network",
    )
    appeal_close(actor=_speaker("ftth", people), appeal=roubaix)

    # A draft, not yet sent.
    issue(
        "sintlog",
        None,
        title=APPEAL_TITLES["santos"],
        text="A Meridian Freight anunciou 200 demissões no centro de distribuição de Santos.",
        language="pt-BR",
        situation="dismissals",
        urgency=1,
        country="BR",
        place="Santos",
        employer=employers["meridian-freight"],
        asks_propaganda=True,
        visibility="network",
    )


def demo_sign_ins_text(indent: str = "  ") -> str:
    """The main demo sign-ins as aligned lines, for the terminal."""
    width = max(len(s.email) for s in DEMO_SIGN_INS)
    lines = []
    for s in DEMO_SIGN_INS:
        where = s.organization + (f" ({s.note})" if s.note else "")
        if s.role == "operator":
            where = s.note
            role = "operator"
        else:
            role = s.role
        lines.append(f"{indent}{s.email:<{width}}  {role:<9}  {where}")
    return "\n".join(lines)
