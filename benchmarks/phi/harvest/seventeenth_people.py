"""Synthetic patients for the seventeenth corpus, from their own seeded source: `patients.Patient`
instances whose names, cities and streets come from five Faker locales no earlier corpus used:
`sq_AL` (Albania), `bs_BA` (Bosnia and Herzegovina), `mt_MT` (Malta), `es_VE` (Venezuela) and
`lb_LU` (Luxembourg). Faker 40.63.0 has no person nor address provider of its own for any of
them (a Faker of one of these locales falls back to `en_US`'s names and streets, which the fifth
corpus used), so this module gives each locale's seeded Faker lists of its own country's given
names, surnames, towns and streets (as registration desks there write them, in Latin letters
with their diacritics: `ë`, `ç`, `č`, `ć`, `đ`, `š`, `ž`, `ġ`, `ħ`, `ż`, `é`), drawn by that
Faker (`random_element`); `bs_BA`'s phone numbers come from Faker's own `bs_BA` provider. Each
patient's name locale and address locale are drawn apart by this module's own
`random.Random`; no value has a semicolon, a double quote, a backslash or an apostrophe.

Identifier shapes are this module's own: MRNs like `MR-20-41883-K`, `2041K883`, `KD:2041883`,
`204.188.37`; member ids like `QB204188372`, `204-KD-188372`, `M204188/37`; accounts like
`AC-20418837`, `K2041-8837`, `20.418837.2`; licences as Florida (`A123-456-78-901-0`),
Illinois (`A123-4567-8901`), New Jersey (`A1234 56789 01234`) and Virginia (`A12-34-5678`)
write them; US ZIPs, one in seven with the +4; phones in the national formats of the name's
locale (Albania `069 123 4567`, `+355 69 123 4567`, `04 223 4567`; Bosnia as Faker's `bs_BA`
writes them, `061 123 456`, `+387 61 123 456`, `+387 (0)61 123 456`; Malta `7912 3456`,
`+356 2123 4567`; Venezuela `0412-1234567`, `0414-123.45.67`, `+58 412-1234567`,
`(0212) 123.45.67`; Luxembourg `621 123 456`, `+352 621 123 456`, `+352 26 12 34 56`) and in US
forms of their own (`(a) b c`, `+1-a-b-c`); SSNs (dashes mostly, a space, none); MBIs, two in
five dashed; Luhn-valid cards (Visa, Mastercard, Maestro, Amex, Discover, UnionPay; some
grouped); public IPv4 addresses; e-mails built from the name. No real person: every value is
drawn from a fixed seed.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from faker_people import FakerPeople, ascii_letters, latin
from patients import Patient, luhn_complete

LOCALES = ("sq_AL", "bs_BA", "mt_MT", "es_VE", "lb_LU")
NAME_LOCALES = {"sq_AL": 7, "bs_BA": 7, "mt_MT": 6, "es_VE": 8, "lb_LU": 6}
ADDRESS_LOCALES = {"sq_AL": 6, "bs_BA": 6, "mt_MT": 6, "es_VE": 7, "lb_LU": 6}
STATES = (
    *("AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA"),
    *("KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ"),
    *("NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT"),
    *("VA", "WA", "WV", "WI", "WY"),
)
DOMAINS = (
    "abissnet.al",
    "albmail.com",
    "bih.net.ba",
    "epn.ba",
    "maltanet.net",
    "melita.com",
    "cantv.net",
    "movistar.com.ve",
    "pt.lu",
    "internet.lu",
    "gmx.net",
    "tutanota.com",
    "zoho.com",
)


def _w(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _l(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|") if part.strip())


# Given names, surnames, towns and streets of each country (this module's own lists).
FIRST = {
    "sq_AL": _w(
        "Arben Besnik Dritan Erion Fatmir Gentian Ilir Kastriot Luan Ermal Flamur Gëzim Agim "
        "Bujar Dardan Edmond Fatos Klajdi Rezart Sokol Ylli Alban Shkëlqim Artan Blendi Elton "
        "Mirela Ardita Blerina Donika Elira Fjolla Genta Jonida Klodiana Lindita Majlinda "
        "Teuta Valbona Xhensila Zamira Arjola Besa Ilda Enkeleda Mimoza Drita Flutura Rudina "
        "Entela Brikena Anila Elona Suela Dorina"
    ),
    "bs_BA": _w(
        "Amer Adnan Emir Haris Kenan Mirza Nermin Tarik Edin Almir Damir Jasmin Senad Armin "
        "Eldar Faruk Samir Adis Enes Muhamed Nedim Sanel Elvir Dženan Ismet Hamza Amra Lejla "
        "Amela Selma Emina Aida Merima Ajla Dženana Jasmina Belma Nejra Lamija Azra Sabina "
        "Mersiha Edina Maida Zerina Ilma Alma Medina Adna Šejla Hatidža Fikreta Sumeja"
    ),
    "mt_MT": _w(
        "Carmel Josephine Antoine Rita Doris Pawlu Ġużeppi Marija Ċettina Anġlu Manwel Ġorġ "
        "Kurt Clyde Roderick Godwin Saviour Emanuel Rosaria Marthese Graziella Jeanette "
        "Mariella Kenneth Malcolm Jesmond Noel Lorna Moira Denise Melvin Nadine Stefan Gianluca "
        "Jurgen Ryan Keith Christabelle Maronna Liliana Rodianne Karl Duncan Abigail"
    ),
    "es_VE": _w(
        "Yusmary Yorman Yeferson Andreína Oriana Yelitza Marbelys Yuleisy Wilmer Yonathan "
        "Deivis Jhoan Keiber Génesis Dayana Rosmary Yolimar Darwin Anyelo Luisana Milagros "
        "Franyelis Nohelia Argenis Eulises Johandry Maryuri Yanetzy Osmel Omaira Neiro "
        "Yennifer Wuilmer Alirio Yoselin Oswaldo Yelimar Dubraska Yenny Reinaldo Jesús Ramón"
    ),
    "lb_LU": _w(
        "Jos Romain Fernand Gilles Léon Nico Pit Tun Fränz Jhemp Mett Yves Luc Sven Claude "
        "Marc Jängi Jeannot Gusty Lex Raoul Carole Nathalie Martine Tessy Joëlle Sylvie "
        "Manon Léa Fernande Josée Monique Myriam Danielle Nadine Claudine Mady Nicole Viviane "
        "Jacqueline Liliane Colette Marie-Josée"
    ),
}
LAST = {
    "sq_AL": _w(
        "Shehu Kola Gjoka Dervishi Leka Mema Prifti Basha Çela Muça Hysa Kraja Dushku Marku "
        "Pllumi Xhafa Llazari Toska Qosja Bregu Zeneli Vata Koçi Lika Ndreu Gjini Dibra "
        "Shkurti Tafaj Kapllani Mehmeti Sulaj Rrapaj Bajrami Hasani Cani Hoxhaj Bushati "
        "Kadiu Spahiu Progri Gjata Malaj"
    ),
    "bs_BA": _w(
        "Hodžić Hadžić Begić Delić Mehić Hasanović Salihović Alić Husić Omerović Ibrahimović "
        "Mujić Muratović Suljić Osmanović Halilović Bešić Karić Hrustić Zukić Softić "
        "Čaušević Džafić Smajlović Kurtović Avdić Jusić Selimović Šabić Ćosić Đozić Bajrić "
        "Porobić Mešić Fazlić Hamzić Kadrić Imamović Mahmutović Spahić"
    ),
    "mt_MT": _w(
        "Borg Camilleri Vella Farrugia Zammit Galea Micallef Grech Attard Spiteri Azzopardi "
        "Mifsud Agius Caruana Debono Cassar Fenech Sammut Cutajar Gauci Xuereb Schembri "
        "Mallia Bonello Buttigieg Calleja Bugeja Abela Mizzi Formosa Ellul Gatt Tabone "
        "Sciberras Aquilina Chetcuti Dimech Bezzina Cauchi Scicluna Falzon Psaila Baldacchino"
    ),
    "es_VE": _w(
        "Marcano Briceño Rondón Aponte Villarroel Chirinos Urdaneta Colmenares Carrasquel "
        "Guevara Perdomo Zambrano Linares Quintero Mujica Salazar Guanipa Montilla Oropeza "
        "Arismendi Yépez Tovar Sequera Escalona Hurtado Piñango Figuera Istúriz Rengifo "
        "Betancourt Camacaro Pernalete Mijares Alfonzo Coromoto Boscán Querales Labrador"
    ),
    "lb_LU": _w(
        "Schmit Muller Weber Wagner Hoffmann Thill Schroeder Reuter Kremer Welter Becker "
        "Kieffer Majerus Schiltz Goergen Weis Wirtz Wampach Thommes Kinsch Weydert Feltgen "
        "Bettendorf Kayser Frising Hilbert Hoscheit Lanners Wolff Steichen Schaack Kohnen "
        "Biver Zeimet Mersch Lentz Hengen Backes Glod Origer Pletschette"
    ),
}
CITIES = {
    "sq_AL": _l(
        "Tiranë | Durrës | Vlorë | Elbasan | Shkodër | Fier | Korçë | Berat | Lushnjë | "
        "Pogradec | Kavajë | Gjirokastër | Sarandë | Laç | Kukës | Lezhë | Patos | Peshkopi | "
        "Kuçovë | Krujë | Burrel | Librazhd | Tepelenë | Gramsh | Përmet | Ballsh | Rrëshen | "
        "Bulqizë | Himarë | Delvinë"
    ),
    "bs_BA": _l(
        "Sarajevo | Banja Luka | Tuzla | Zenica | Mostar | Bihać | Brčko | Bijeljina | "
        "Prijedor | Trebinje | Doboj | Cazin | Velika Kladuša | Visoko | Goražde | Konjic | "
        "Travnik | Gračanica | Gradačac | Sanski Most | Livno | Zavidovići | Kakanj | Lukavac | "
        "Srebrenik | Tešanj | Bugojno | Jajce | Stolac | Čapljina | Živinice | Maglaj"
    ),
    "mt_MT": _l(
        "Birkirkara | Mosta | Qormi | Żabbar | San Pawl il-Baħar | Sliema | Naxxar | Żejtun | "
        "Fgura | Żebbuġ | Marsaskala | Ħamrun | Msida | Swieqi | Gżira | Paola | Tarxien | "
        "Siġġiewi | Għargħur | Xagħra | Marsaxlokk | Mellieħa | Attard | Balzan | Lija | "
        "Iklin | Pietà | Birżebbuġa | Żurrieq | Kirkop"
    ),
    "es_VE": _l(
        "Caracas | Maracaibo | Barquisimeto | Maracay | Ciudad Guayana | Maturín | Cumaná | "
        "Barinas | Cabimas | Mérida | San Cristóbal | Puerto La Cruz | Ciudad Bolívar | "
        "Los Teques | Punto Fijo | Guarenas | Acarigua | Coro | Puerto Cabello | El Tigre | "
        "Valera | Carúpano | Guanare | San Fernando de Apure | Tucupita | Porlamar | "
        "Ocumare del Tuy | Guatire | Charallave | El Vigía"
    ),
    "lb_LU": _l(
        "Lëtzebuerg | Esch-Uelzecht | Déifferdeng | Diddeleng | Ettelbréck | Dikrech | Wolz | "
        "Iechternach | Rëmeleng | Gréiwemaacher | Réimech | Veianen | Klierf | Miersch | "
        "Réiden | Bartreng | Hesper | Käerjeng | Péiteng | Suessem | Schëffleng | "
        "Bettembuerg | Munneref | Stroossen | Mamer | Steesel | Ëlwen | Bieles | Diekrech | "
        "Gréiwels"
    ),
}
STREETS = {
    "sq_AL": _l(
        "Rruga e Durrësit | Rruga Myslym Shyri | Rruga Sami Frashëri | Rruga e Kavajës | "
        "Rruga Ismail Qemali | Rruga Pjetër Bogdani | Rruga Qemal Stafa | Rruga e Dibrës | "
        "Rruga Naim Frashëri | Rruga Abdyl Frashëri | Rruga Bardhok Biba | Rruga Fan Noli | "
        "Rruga Mine Peza | Rruga Asim Vokshi | Rruga Luigj Gurakuqi | Rruga e Elbasanit | "
        "Rruga Kont Urani | Rruga Gjergj Fishta | Rruga Vaso Pasha | Rruga Hamdi Sina"
    ),
    "bs_BA": _l(
        "Ferhadija | Zmaja od Bosne | Titova | Obala Kulina bana | Branilaca Sarajeva | "
        "Hamdije Kreševljakovića | Alipašina | Džemala Bijedića | Kralja Tvrtka | "
        "Mula Mustafe Bašeskije | Patriotske lige | Hasana Kikića | Safeta Hadžića | "
        "Bulevar Meše Selimovića | Radićeva | Maršala Tita | Skenderija | Husrefa Redžića | "
        "Grbavička | Kranjčevićeva"
    ),
    "mt_MT": _l(
        "Triq il-Kbira | Triq San Pawl | Triq ir-Repubblika | Triq il-Merkanti | "
        "Triq Santa Lucija | Triq id-Dejqa | Triq San Ġorġ | Triq il-Mitħna | Triq Hompesch | "
        "Triq il-Wied | Triq tal-Balal | Triq l-Imdina | Triq Manwel Dimech | Triq Dun Karm | "
        "Triq ix-Xatt | Triq Sant Antnin | Triq il-Knisja | Triq iż-Żagħfran | Triq il-Fortizza | "
        "Triq il-Ħamrija"
    ),
    "es_VE": _l(
        "Avenida Urdaneta | Avenida Francisco de Miranda | Calle Los Mangos | Avenida Bolívar | "
        "Avenida Libertador | Avenida Las Delicias | Calle Páez | Avenida Lara | "
        "Avenida Andrés Bello | Calle El Recreo | Avenida Casanova | Avenida Intercomunal | "
        "Calle Sucre | Avenida Universidad | Avenida Rómulo Gallegos | Calle La Ceiba | "
        "Avenida Los Próceres | Calle Real de Sabana Grande | Avenida Guzmán Blanco | "
        "Calle Carabobo"
    ),
    "lb_LU": _l(
        "rue de la Gare | Grand-Rue | avenue de la Liberté | boulevard Royal | "
        "rue de Hollerich | rue des Romains | rue Principale | rue Michel Rodange | rue Dicks | "
        "rue Pierre Krier | rue Zénon Bernard | avenue Marie-Thérèse | rue de Strasbourg | "
        "rue du Brill | rue Émile Mayrisch | Haaptstrooss | Groussgaass | Stater Strooss | "
        "Eecher Wee | Kierchestrooss | Schoulstrooss | Millewee | Bahnhofstrooss"
    ),
}

# Words the emitters write: a name, city or street with one is drawn again.
RESERVED = {
    "attachment", "blocks", "channel", "data", "doc", "error", "field", "find", "hits", "image",
    "index", "level", "match", "message", "name", "patient", "query", "root", "section",
    "series", "source", "status", "store", "study", "text", "type", "value",
}  # fmt: skip


class SeventeenthPeople(FakerPeople):
    MBI_DASHED = 0.4
    SSN_SEPARATORS = ("-", "-", "-", "-", "-", "-", " ", "")
    ZIP_RANGE = (1001, 99950)
    ZIP_PLUS4 = 0.15
    IP_FIRST_OCTETS = (37, 45, 78, 84, 89, 93, 109, 141, 151, 176, 185, 188, 193, 212, 217)

    def __init__(self, seed: int) -> None:
        super().__init__(seed, LOCALES, lambda seed, i: seed * 97 + 8117 * i)

    def _clean(self, raw: str) -> str | None:
        value = " ".join(raw.replace(",", " ").split()).strip(" .-")
        words = {w.lower() for w in value.replace("-", " ").split()}
        if words & RESERVED:
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
            elif what == "city":
                raw = fake.random_element(CITIES[locale])
            else:
                raw = self._street(locale)
            value = self._clean(raw)
            if value:
                return value
        raise RuntimeError(f"no Latin-script {what} for {locale}")

    def _street(self, locale: str) -> str:
        fake = self.fakers[locale]
        street = fake.random_element(STREETS[locale])
        n = fake.random_int(1, 180 if locale != "mt_MT" else 90)
        if locale == "sq_AL":
            return fake.random_element([f"{street} {n}", f"{street} nr. {n}"])
        if locale == "bs_BA":
            return fake.random_element([f"{street} {n}", f"{street} {n}{fake.random_letter()}"])
        if locale == "es_VE":
            return fake.random_element([f"{street} {n}", f"{street} casa {n}"])
        return f"{n} {street}"  # Malta and Luxembourg put the number first

    def letters(self, n: int) -> str:
        return "".join(self.letter() for _ in range(n))

    def phone(self, locale: str) -> str:
        r = self.r
        d = self.digits
        if r.random() < 0.25:
            a, b, c = r.randint(205, 985), r.randint(202, 987), d(4)
            return r.choice([f"({a}) {b} {c}", f"+1-{a}-{b}-{c}"])
        if locale == "sq_AL":
            m = f"6{r.choice('789')}"
            return r.choice(
                [f"0{m} {d(3)} {d(4)}", f"+355 {m} {d(3)} {d(4)}", f"04 2{d(2)} {d(4)}"]
            )
        if locale == "bs_BA":
            return str(self.fakers["bs_BA"].phone_number())
        if locale == "mt_MT":
            first = r.choice(["79", "99", "77", "21", "27"])
            return r.choice([f"{first}{d(2)} {d(4)}", f"+356 {first}{d(2)} {d(4)}"])
        if locale == "es_VE":
            m = r.choice(["412", "414", "416", "424", "426"])
            return r.choice(
                [
                    f"0{m}-{d(7)}",
                    f"0{m}-{d(3)}.{d(2)}.{d(2)}",
                    f"+58 {m}-{d(7)}",
                    f"(0212) {d(3)}.{d(2)}.{d(2)}",
                ]
            )
        m = r.choice(["621", "661", "691"])
        return r.choice(
            [f"{m} {d(3)} {d(3)}", f"+352 {m} {d(3)} {d(3)}", f"+352 2{d(1)} {d(2)} {d(2)} {d(2)}"]
        )

    def mrn(self) -> str:
        r = self.r
        d = self.digits
        return r.choice(
            [
                f"MR-{d(2)}-{d(5)}-{self.letter()}",
                f"{r.randint(1, 9)}{d(3)}{self.letter()}{d(3)}",
                f"{self.letters(2)}:{r.randint(1, 9)}{d(6)}",
                f"{r.randint(1, 9)}{d(2)}.{d(3)}.{d(2)}",
            ]
        )

    def member_id(self) -> str:
        r = self.r
        d = self.digits
        return r.choice(
            [
                f"{self.letters(2)}{r.randint(1, 9)}{d(8)}",
                f"{r.randint(1, 9)}{d(2)}-{self.letters(2)}-{d(6)}",
                f"M{d(6)}/{d(2)}",
            ]
        )

    def account(self) -> str:
        r = self.r
        d = self.digits
        return r.choice(
            [
                f"AC-{r.randint(1, 9)}{d(7)}",
                f"{self.letter()}{d(4)}-{d(4)}",
                f"{r.randint(1, 9)}{d(1)}.{d(6)}.{d(1)}",
            ]
        )

    def licence(self) -> str:
        r = self.r
        d = self.digits
        a = self.letter()
        return r.choice(
            [
                f"{a}{d(3)}-{d(3)}-{d(2)}-{d(3)}-{d(1)}",
                f"{a}{d(3)}-{d(4)}-{d(4)}",
                f"{a}{d(4)} {d(5)} {d(5)}",
                f"{a}{d(2)}-{d(2)}-{d(4)}",
            ]
        )

    def card(self) -> str:
        r = self.r
        prefix = r.choice(["4", "4", "51", "55", "2221", "6759", "5018", "37", "6011", "62"])
        size = {"37": 15}.get(prefix, 16)
        number = luhn_complete(prefix + self.digits(size - len(prefix) - 1))
        if r.random() < 0.3:
            if size == 16:
                return " ".join(number[i : i + 4] for i in range(0, 16, 4))
            return f"{number[:4]}-{number[4:10]}-{number[10:]}"
        return number

    def patient(self) -> Patient:
        r = self.r
        name_locale = r.choices(list(NAME_LOCALES), list(NAME_LOCALES.values()))[0]
        address_locale = r.choices(list(ADDRESS_LOCALES), list(ADDRESS_LOCALES.values()))[0]
        first = self._drawn(name_locale, "first_name")
        last = self._drawn(name_locale, "last_name")
        while last == first:
            last = self._drawn(name_locale, "last_name")
        dob = datetime.date(1931, 5, 1) + datetime.timedelta(days=r.randint(0, 33500))
        a, b = ascii_letters(first) or "pt", ascii_letters(last) or "pt"
        local = r.choice(
            [
                f"{a}.{b}",
                f"{b}{a[:1]}{r.randint(1, 99)}",
                f"{a}_{b}{r.randint(1960, 2012)}",
                f"{a[:1]}.{b}",
                f"{b}.{a}",
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
            city=self._drawn(address_locale, "city"),
            state=r.choice(STATES),
            zip=self.zip_code(),
            member_id=self.member_id(),
            mbi=self.mbi(),
            account=self.account(),
            licence=self.licence(),
            card=self.card(),
            ip=self.ip(),
            extra={"locale": name_locale, "address_locale": address_locale},
        )
