"""Synthetic patients for the eighteenth corpus, from their own seeded source: `patients.Patient`
instances whose names, towns, streets and postal codes come from four places no earlier corpus
drew its patients from: Ethiopia (`am_ET`, names in Latin letters as Ethiopian registration desks
write them for foreign systems), Cyprus (`el_CY`, Greek Cypriot names in Latin letters),
Republika Srpska in Bosnia and Herzegovina (`sr_BA`, Serbian names in Latin script, with their
diacritics `č`, `ć`, `đ`, `š`, `ž`) and Italian-speaking Switzerland (`it_CH`, Ticino). Faker
40.63.0 has no person nor address provider for any of these locales (a Faker of one of them
falls back to `en_US`'s names and streets), so this module gives each locale's seeded Faker lists
of its own country's given names, surnames, towns (each with a postal code of that town) and
streets, drawn by that Faker (`random_element`); some Ethiopian phone numbers come from Faker's
own `am_ET` provider. Nigeria and Denmark, which the brief offered too, are left out: the ninth
and sixth corpora drew Hausa, Igbo and Danish names from Faker's `ha_NG`, `ig_NG` and `da_DK`.

Postal codes as those countries write them: Ethiopia's and Cyprus' four digits, Ticino's four
digits (6500 to 6999), the Republika Srpska's five (`78000`); a code that reads as a year the
logs show (1900 to 2099) is not used, and each patient's code is that of their town. The `state`
field (never labelled) holds the region: an Ethiopian region or city administration, a Cypriot
district, `RS`, `TI`.

Identifier shapes are this module's own: MRNs like `H18/204471`, `204-4471-KT`, `MRN204.4471`,
`TKB2044710`; member ids like `QKD-204-188-37`, `2041KD18837`, `MB204188370T`; accounts like
`A204-188-370`, `20/418837/02`, `ACC2041883`; licences as Michigan (`A 123 456 789 012`),
Wisconsin (`A123-4567-8901-23`), Maryland (`A-123-456-789-012`) and Washington
(`WDL12AB34CD5`) write them; phones in the national formats of the name's locale (Ethiopia
`0911 234 567`, `+251 911 234 567`, `+251-11-551-2345`, Faker's `+251911234567`; Cyprus
`99 123456`, `+357 99 123456`, `+357-22-123456`; Republika Srpska `065/123-456`,
`+387 65 123 456`, `051 123 456`; Ticino `091 923 45 67`, `079 123 45 67`,
`+41 91 923 45 67`, `+41 (0)79 123 45 67`); SSNs (dashes mostly, a space, none); MBIs, one in
three dashed; Luhn-valid cards (Visa, Mastercard, Amex, Discover, JCB; some grouped); public IPv4
addresses; e-mails built from the name. No real person: every value is drawn from a fixed seed.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from faker_people import FakerPeople, ascii_letters, latin
from patients import Patient, luhn_complete

LOCALES = ("am_ET", "el_CY", "sr_BA", "it_CH")
NAME_LOCALES = {"am_ET": 8, "el_CY": 7, "sr_BA": 7, "it_CH": 7}
ADDRESS_LOCALES = {"am_ET": 7, "el_CY": 7, "sr_BA": 6, "it_CH": 7}
DOMAINS = (
    "ethionet.et",
    "ethiotelecom.et",
    "cytanet.com.cy",
    "primehome.com",
    "spidernet.com.cy",
    "teol.net",
    "blic.net",
    "bluewin.ch",
    "ticino.com",
    "hispeed.ch",
    "posteo.net",
    "fastmail.com",
    "mail.com",
)


def _w(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _l(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|") if part.strip())


def _towns(text: str) -> tuple[tuple[str, str, str], ...]:
    """`Town 1234 REGION | ...`: each town with its postal code and region."""
    out = []
    for part in _l(text):
        *words, code, region = part.split()
        out.append((" ".join(words), code, region))
    return tuple(out)


# Given names, surnames, towns and streets of each place (this module's own lists).
FIRST = {
    "am_ET": _w(
        "Abebe Alemayehu Dawit Ermias Fikru Girma Kebede Mulugeta Yonas Yohannes Tadesse "
        "Berhanu Getachew Tewodros Mesfin Negash Biniam Henok Kaleb Natnael Eyob Samuel "
        "Abiy Amanuel Birhanu Yared Teklu Zerihun Almaz Aster Bethlehem Eleni Genet Hirut "
        "Meron Selam Tigist Tsion Mekdes Hana Saba Liya Rahel Yordanos Kidist Frehiwot "
        "Selamawit Mahlet Hiwot Tirunesh Worknesh Senait Azeb Mulu"
    ),
    "el_CY": _w(
        "Andreas Christos Giorgos Panayiotis Kyriakos Michalis Marios Nicos Costas Savvas "
        "Stelios Demetris Charalambos Loizos Antonis Yiannis Neophytos Sotiris Pambos "
        "Evagoras Onisiforos Chrysanthos Maria Androulla Despina Chrystalla Panayiota "
        "Stavroula Katerina Christina Myria Loukia Anthi Froso Eleftheria Georgia Elena "
        "Kyriaki Ourania Evanthia Paraskevi"
    ),
    "sr_BA": _w(
        "Nemanja Dragan Miloš Dejan Goran Zoran Srđan Nenad Vladimir Bojan Predrag Slobodan "
        "Mladen Željko Dušan Ranko Radovan Obrad Veljko Đorđe Aleksandar Vukašin Ognjen "
        "Jelena Milica Dragana Snežana Gordana Jovana Tijana Mirjana Ljiljana Biljana "
        "Vesna Svetlana Dijana Slavica Nevena Radmila Anđela Danijela Sanja"
    ),
    "it_CH": _w(
        "Marco Luca Matteo Alessandro Fabio Claudio Mattia Nicola Sandro Gianluca Davide "
        "Renzo Flavio Moreno Tiziano Lorenzo Elia Ivo Orlando Fulvio Chiara Francesca "
        "Giulia Manuela Sabrina Tiziana Cristina Monica Daniela Martina Alessia Michela "
        "Nadia Luana Simona Patrizia Raffaella Roberta Ornella Loredana"
    ),
}
LAST = {
    "am_ET": _w(
        "Tesfaye Bekele Alemu Mengistu Gebremariam Woldemariam Haile Desta Abera Ayele "
        "Demissie Getahun Hailu Negussie Asfaw Woldemichael Gebreyesus Tekle Assefa Legesse "
        "Mekonnen Worku Yilma Zewdie Belay Amare Gebremedhin Kassa Tilahun Wondimu Shiferaw "
        "Gudeta Lemma Fekadu Tsegaye Admasu Berhe Kidane Abate Dinku"
    ),
    "el_CY": _w(
        "Georgiou Constantinou Christodoulou Charalambous Ioannou Nicolaou Antoniou Demetriou "
        "Kyriacou Panayiotou Savva Hadjigeorgiou Loizou Economou Stylianou Theodorou "
        "Christofi Neophytou Evripidou Pavlou Zacharia Efthymiou Stavrou Koumi "
        "Hadjikyriacou Mavrommatis Tsangarides Kleanthous Philippou Sophocleous Hadjioannou "
        "Kountouris Petrides Solomou Michaelides Vasiliou Aristidou"
    ),
    "sr_BA": _w(
        "Savić Kovačević Jovanović Petrović Stanković Todorović Đurić Lazarević Marković "
        "Vasić Nikolić Stojanović Mitrović Radić Simić Ilić Božić Tomić Lukić Vučković "
        "Milošević Perišić Kecman Šobot Karanović Tešanović Đukić Gligorić Vujić Ćurguz "
        "Tadić Stevandić Kuzmanović Babić Dragić Majstorović Lalović Cvijić"
    ),
    "it_CH": _w(
        "Bernasconi Lepori Gianella Pedrazzini Rusconi Cattaneo Sciaroni Delcò Bottinelli "
        "Beretta Quadri Lurati Pellandini Guscetti Ghisletta Maspoli Camponovo Ortelli "
        "Rezzonico Balestra Induni Respini Valsangiacomo Cavadini Zanini Poretti Bizzini "
        "Martinoli Regazzi Storni Tamò Pedroni Taddei Jelmini Ghiringhelli Pometta Soldati"
    ),
}
TOWNS = {
    "am_ET": _towns(
        "Addis Ababa 1000 AA | Adama 1888 OR | Bahir Dar 6000 AM | Gondar 6200 AM | "
        "Mekelle 7000 TG | Hawassa 5000 SI | Dire Dawa 3000 DD | Jimma 4000 OR | "
        "Dessie 6500 AM | Jijiga 3200 SO | Shashamane 5100 OR | Bishoftu 1040 OR | "
        "Arba Minch 5700 SW | Harar 3100 HR | Nekemte 4300 OR | Debre Birhan 1180 AM | "
        "Asella 1300 OR | Debre Markos 6800 AM | Kombolcha 6550 AM | Axum 7200 TG | "
        "Adigrat 7100 TG | Woldia 6700 AM | Hosaena 5400 CE | Dilla 5300 SI"
    ),
    "el_CY": _towns(
        "Lefkosia 1065 NIC | Strovolos 2012 NIC | Lakatamia 2324 NIC | Aglantzia 2104 NIC | "
        "Latsia 2220 NIC | Engomi 2411 NIC | Dali 2540 NIC | Lemesos 3035 LIM | "
        "Germasogeia 4040 LIM | Ypsonas 4180 LIM | Kato Polemidia 4150 LIM | "
        "Mesa Geitonia 4001 LIM | Pissouri 4607 LIM | Larnaka 6021 LAR | Aradippou 7100 LAR | "
        "Livadia 7060 LAR | Kiti 7550 LAR | Athienou 7600 LAR | Pafos 8010 PAF | "
        "Geroskipou 8200 PAF | Peyia 8560 PAF | Polis Chrysochous 8820 PAF | "
        "Paralimni 5280 FAM | Ayia Napa 5330 FAM | Deryneia 5380 FAM"
    ),
    "sr_BA": _towns(
        "Zvornik 75400 RS | Foča 73300 RS | Pale 71420 RS | Istočno Sarajevo 71123 RS | "
        "Gradiška 78400 RS | Laktaši 78250 RS | Prnjavor 78430 RS | Derventa 74400 RS | "
        "Modriča 74480 RS | Teslić 74270 RS | Višegrad 73240 RS | Bileća 89230 RS | "
        "Nevesinje 88280 RS | Kozarska Dubica 79240 RS | Novi Grad 79220 RS | Šamac 76230 RS | "
        "Ugljevik 76330 RS | Mrkonjić Grad 70260 RS | Kotor Varoš 78220 RS | Čelinac 78240 RS | "
        "Srbac 78420 RS | Rogatica 73220 RS | Gacko 89240 RS | Šipovo 70270 RS"
    ),
    "it_CH": _towns(
        "Lugano 6900 TI | Bellinzona 6500 TI | Locarno 6600 TI | Mendrisio 6850 TI | "
        "Chiasso 6830 TI | Minusio 6648 TI | Ascona 6612 TI | Biasca 6710 TI | "
        "Massagno 6900 TI | Viganello 6962 TI | Losone 6616 TI | Giubiasco 6512 TI | "
        "Stabio 6855 TI | Balerna 6828 TI | Agno 6982 TI | Bioggio 6934 TI | Tenero 6598 TI | "
        "Gordola 6596 TI | Caslano 6987 TI | Airolo 6780 TI | Faido 6760 TI | "
        "Coldrerio 6877 TI | Riva San Vitale 6826 TI | Sorengo 6924 TI | Savosa 6942 TI"
    ),
}
STREETS = {
    "am_ET": _l(
        "Bole Road | Churchill Avenue | Africa Avenue | Haile Gebreselassie Road | "
        "Ras Desta Damtew Street | Menelik II Avenue | Chad Street | Cameroon Street | "
        "Ras Mekonnen Avenue | Sudan Street | Algeria Street | Mauritania Street | "
        "Gabon Street | Tito Street | Ras Abebe Aregay Street | Yared Street | "
        "Dejazmach Belay Zeleke Road | Queen Elizabeth II Street | Jomo Kenyatta Avenue"
    ),
    "el_CY": _l(
        "Makariou III Avenue | Archiepiskopou Kyprianou | Spyrou Kyprianou Avenue | "
        "Griva Digeni | Ledras | Onasagorou | Stasikratous | Anexartisias | Gladstonos | "
        "Agiou Andreou | Ermou | Kennedy Avenue | Athalassas Avenue | Grigori Afxentiou | "
        "Evagorou | Themistokli Dervi | Nikis Avenue | Apostolou Pavlou Avenue | "
        "Tombs of the Kings Road | Poseidonos Avenue | Kyrenias Avenue"
    ),
    "sr_BA": _l(
        "Kralja Petra I Karađorđevića | Vidovdanska | Njegoševa | Svetosavska | Cara Dušana | "
        "Gundulićeva | Majke Jugovića | Nikole Tesle | Vuka Karadžića | Desanke Maksimović | "
        "Bulevar srpske vojske | Srpskih ustanika | Kninska | Jovana Dučića | "
        "Stepe Stepanovića | Mise Stupara | Kneza Miloša | Petra Kočića | Branka Ćopića"
    ),
    "it_CH": _l(
        "Via Nassa | Via Pretorio | Via Cantonale | Corso Elvezia | Viale Stefano Franscini | "
        "Via San Gottardo | Via Ciseri | Via della Posta | Piazza Indipendenza | "
        "Via Borghese | Viale Castagnola | Via Trevano | Via Canova | Via Luini | Via Motta | "
        "Via Vela | Via Lavizzari | Via Stazione | Viale Officina | Via Dogana | Via Cattori | "
        "Via Besso | Via Ospedale"
    ),
}

# Words the emitters write: a name, town or street with one is drawn again.
RESERVED = {
    "args", "attempt", "call", "data", "details", "error", "every", "job", "kwargs", "level",
    "locals", "message", "name", "next", "patient", "road", "run", "status", "street", "time",
    "traceback", "type", "value", "wait",
}  # fmt: skip
# A drawn name or town must not be this (the same word in a line would be labelled).
RESERVED_EXACT = {"Avenue", "Street", "Grad", "Novi"}


class EighteenthPeople(FakerPeople):
    MBI_DASHED = 1 / 3
    SSN_SEPARATORS = ("-", "-", "-", "-", "-", " ", "")
    ZIP_RANGE = (1000, 99999)  # unused: each patient has their town's postal code
    ZIP_PLUS4 = 0.0
    IP_FIRST_OCTETS = (31, 41, 46, 62, 80, 82, 91, 102, 178, 194, 196, 197, 213)

    def __init__(self, seed: int) -> None:
        super().__init__(seed, LOCALES, lambda seed, i: seed * 89 + 7919 * i)

    def _clean(self, raw: str) -> str | None:
        value = " ".join(raw.replace(",", " ").split()).strip(" .-")
        words = {w.lower() for w in value.replace("-", " ").split()}
        if words & RESERVED or value in RESERVED_EXACT:
            return None
        if value and latin(value) and len(value) >= 3 and not set(value) & set(";\\\"'"):
            return value
        return None

    def _drawn(self, locale: str, what: str) -> str:
        fake = self.fakers[locale]
        for _ in range(80):
            if what == "first_name":
                raw = fake.random_element(FIRST[locale])
            elif what == "last_name":
                raw = fake.random_element(LAST[locale])
            else:
                raw = self._street(locale)
            value = self._clean(raw)
            if value:
                return value
        raise RuntimeError(f"no Latin-script {what} for {locale}")

    def _town(self, locale: str) -> tuple[str, str, str]:
        fake = self.fakers[locale]
        for _ in range(80):
            town, code, region = fake.random_element(TOWNS[locale])
            if not 1900 <= int(code) <= 2099:
                return town, code, region
        raise RuntimeError(f"no town for {locale}")

    def _street(self, locale: str) -> str:
        fake = self.fakers[locale]
        street = fake.random_element(STREETS[locale])
        if locale == "am_ET":
            n = fake.random_int(1, 999)
            return fake.random_element([f"{street} {n}", f"{street} No. {n}"])
        if locale == "el_CY":
            n = fake.random_int(1, 240)
            return fake.random_element([f"{street} {n}", f"{n} {street}"])
        if locale == "sr_BA":
            n = fake.random_int(1, 160)
            return fake.random_element([f"{street} {n}", f"{street} br. {n}", f"{street} {n}a"])
        n = fake.random_int(1, 90)
        return fake.random_element([f"{street} {n}", f"{street} {n}a"])

    def letters(self, n: int) -> str:
        return "".join(self.letter() for _ in range(n))

    def phone(self, locale: str) -> str:
        r = self.r
        d = self.digits
        if locale == "am_ET":
            m = f"9{r.randint(1, 9)}"
            return r.choice(
                [
                    f"0{m}{d(1)} {d(3)} {d(3)}",
                    f"+251 {m}{d(1)} {d(3)} {d(3)}",
                    f"+251-11-{d(3)}-{d(4)}",
                    str(self.fakers["am_ET"].phone_number()),
                ]
            )
        if locale == "el_CY":
            first = r.choice(["99", "96", "97", "22", "25", "24", "26"])
            return r.choice([f"{first} {d(6)}", f"+357 {first} {d(6)}", f"+357-{first}-{d(6)}"])
        if locale == "sr_BA":
            m = r.choice(["65", "66", "51", "55", "56", "57", "59"])
            return r.choice(
                [f"0{m}/{d(3)}-{d(3)}", f"+387 {m} {d(3)} {d(3)}", f"0{m} {d(3)} {d(3)}"]
            )
        first = r.choice(["91", "79", "78", "76", "77"])
        return r.choice(
            [
                f"0{first} {d(3)} {d(2)} {d(2)}",
                f"+41 {first} {d(3)} {d(2)} {d(2)}",
                f"+41 (0){first} {d(3)} {d(2)} {d(2)}",
            ]
        )

    def mrn(self) -> str:
        r = self.r
        d = self.digits
        return r.choice(
            [
                f"H{d(2)}/{r.randint(1, 9)}{d(5)}",
                f"{r.randint(1, 9)}{d(2)}-{d(4)}-{self.letters(2)}",
                f"MRN{r.randint(1, 9)}{d(2)}.{d(4)}",
                f"{self.letters(3)}{r.randint(1, 9)}{d(6)}",
            ]
        )

    def member_id(self) -> str:
        r = self.r
        d = self.digits
        return r.choice(
            [
                f"{self.letters(3)}-{r.randint(1, 9)}{d(2)}-{d(3)}-{d(2)}",
                f"{r.randint(1, 9)}{d(3)}{self.letters(2)}{d(5)}",
                f"MB{r.randint(1, 9)}{d(8)}{self.letter()}",
            ]
        )

    def account(self) -> str:
        r = self.r
        d = self.digits
        return r.choice(
            [
                f"A{r.randint(1, 9)}{d(2)}-{d(3)}-{d(3)}",
                f"{r.randint(1, 9)}{d(1)}/{d(6)}/{d(2)}",
                f"ACC{r.randint(1, 9)}{d(6)}",
            ]
        )

    def licence(self) -> str:
        r = self.r
        d = self.digits
        a = self.letter()
        return r.choice(
            [
                f"{a} {d(3)} {d(3)} {d(3)} {d(3)}",
                f"{a}{d(3)}-{d(4)}-{d(4)}-{d(2)}",
                f"{a}-{d(3)}-{d(3)}-{d(3)}-{d(3)}",
                f"WDL{d(2)}{self.letters(2)}{d(2)}{self.letters(2)}{d(1)}",
            ]
        )

    def card(self) -> str:
        r = self.r
        prefix = r.choice(["4", "4", "53", "2720", "34", "6011", "65", "3528"])
        size = {"34": 15}.get(prefix, 16)
        number = luhn_complete(prefix + self.digits(size - len(prefix) - 1))
        if r.random() < 0.3:
            if size == 16:
                return " ".join(number[i : i + 4] for i in range(0, 16, 4))
            return f"{number[:4]} {number[4:10]} {number[10:]}"
        return number

    def patient(self) -> Patient:
        r = self.r
        name_locale = r.choices(list(NAME_LOCALES), list(NAME_LOCALES.values()))[0]
        address_locale = r.choices(list(ADDRESS_LOCALES), list(ADDRESS_LOCALES.values()))[0]
        first = self._drawn(name_locale, "first_name")
        last = self._drawn(name_locale, "last_name")
        while last == first:
            last = self._drawn(name_locale, "last_name")
        dob = datetime.date(1929, 3, 1) + datetime.timedelta(days=r.randint(0, 34000))
        town, code, region = self._town(address_locale)
        a, b = ascii_letters(first) or "pt", ascii_letters(last) or "pt"
        local = r.choice(
            [
                f"{a}.{b}",
                f"{a}{b[:1]}{r.randint(1, 99)}",
                f"{b}_{a}{r.randint(1958, 2011)}",
                f"{a[:1]}{b}",
                f"{b}-{a}",
            ]
        )
        return Patient(
            first_name=first,
            last_name=last,
            dob=dob,
            ssn=self.ssn(),
            mrn=self.mrn(),
            phone=self.phone(name_locale),
            email=f"{local.strip('._-')}@{r.choice(DOMAINS)}",
            street=self._drawn(address_locale, "street_address"),
            city=town,
            state=region,
            zip=code,
            member_id=self.member_id(),
            mbi=self.mbi(),
            account=self.account(),
            licence=self.licence(),
            card=self.card(),
            ip=self.ip(),
            extra={"locale": name_locale, "address_locale": address_locale},
        )
