"""Deterministic demo citizens of Bảo Lâm: realistic names, ethnic mix, ages and identity numbers."""

import datetime
import random

from units.text import fold

from .rules import PROVINCE_CODES

# Approximate ethnic mix of Bảo Lâm (name in the reference table, weight).
ETHNIC_MIX = [("Mông", 47), ("Tày", 20), ("Dao", 17), ("Nùng", 5), ("Kinh", 5), ("Sán Chay", 4), ("Lô Lô", 2)]

_GENERIC_FEMALE = ["Thị"]
NAMES = {
    "Mông": {
        "surnames": ["Vàng", "Lý", "Giàng", "Thào", "Hoàng", "Sùng", "Lầu", "Ma", "Mua", "Chảo", "Hầu"],
        "male_middle": ["Seo", "A", "Văn", "Mí", "Chúng"],
        "male": [
            "Páo",
            "Sình",
            "Dình",
            "Pó",
            "Chơ",
            "Sử",
            "Dế",
            "Lử",
            "Tủa",
            "Chứ",
            "Lồng",
            "Pháy",
            "Chá",
            "Sểnh",
            "Vư",
            "Nhè",
            "Pùa",
        ],
        "female_middle": ["Thị", "Mỷ"],
        "female": ["Mỷ", "Dợ", "Sú", "Dua", "Sua", "Cá", "Xúa", "Chá", "Mai", "Pà", "Dính", "Lan", "Say"],
    },
    "Tày": {
        "surnames": ["Nông", "Hoàng", "Lục", "Lương", "Đàm", "Lành", "Đinh", "Bế", "Ma", "Triệu", "Hà"],
        "male_middle": ["Văn", "Đức", "Minh", "Xuân"],
        "male": [
            "Thắng",
            "Tuấn",
            "Dũng",
            "Hùng",
            "Cường",
            "Nhất",
            "Kiên",
            "Sinh",
            "Thành",
            "Đức",
            "Quang",
            "Việt",
            "Toàn",
            "Hiếu",
        ],
        "female_middle": ["Thị"],
        "female": ["Hoa", "Lan", "Hương", "Mai", "Thu", "Hằng", "Nga", "Dung", "Linh", "Phượng", "Huyền", "Thảo"],
    },
    "Dao": {
        "surnames": ["Triệu", "Bàn", "Lý", "Đặng", "Chu", "Phùng", "Lò"],
        "male_middle": ["Văn", "Tiến", "Quý", "Kim"],
        "male": ["Phấu", "Lìn", "Quẩy", "Vảng", "Chòi", "Sinh", "Tài", "Phin", "Mềnh", "Sành", "Kiềm"],
        "female_middle": ["Thị", "Mùi"],
        "female": ["Mẩy", "Nái", "Chạp", "Sìn", "Phương", "Liềm", "Mây", "Seo"],
    },
    "Nùng": {
        "surnames": ["Nông", "Hoàng", "Lục", "Chu", "Lăng", "Vi", "Lý"],
        "male_middle": ["Văn", "Đình"],
        "male": ["Páo", "Sáng", "Lềnh", "Phúc", "Hải", "Thịnh", "Tâm", "Chiến", "Khánh"],
        "female_middle": ["Thị"],
        "female": ["Vàng", "Nhị", "Thắm", "Liên", "Xuân", "Hiền", "Nhung"],
    },
    "Kinh": {
        "surnames": ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô"],
        "male_middle": ["Văn", "Đức", "Minh", "Quốc", "Hữu"],
        "male": ["Đức", "Hùng", "Tuấn", "Nam", "Long", "Hải", "Dũng", "Phong", "Trung", "Thắng", "Bình", "Khoa"],
        "female_middle": ["Thị", "Thu", "Ngọc", "Thanh"],
        "female": ["Hạnh", "Hà", "Trang", "Ngọc", "Yến", "Loan", "Huệ", "Vân", "Thủy", "Oanh"],
    },
    "Sán Chay": {
        "surnames": ["Hoàng", "Lâm", "Lý", "Đặng", "Trương", "La"],
        "male_middle": ["Văn", "Xuân"],
        "male": ["Sáng", "Thìn", "Quang", "Thành", "Phú", "Lợi", "Vinh"],
        "female_middle": ["Thị"],
        "female": ["Lụa", "Thơm", "Hường", "Nhàn", "Dịu"],
    },
    "Lô Lô": {
        "surnames": ["Lò", "Sầm", "Chi", "Lục", "Mằn"],
        "male_middle": ["Văn", "Dì"],
        "male": ["Dìn", "Lừ", "Sâu", "Chẩn", "Phù", "Sảo"],
        "female_middle": ["Thị"],
        "female": ["Dế", "Pham", "Mỉ", "Chiên", "Sấm"],
    },
}

OCCUPATIONS = [
    "Làm nương",
    "Làm ruộng",
    "Chăn nuôi",
    "Học sinh",
    "Sinh viên",
    "Công nhân",
    "Buôn bán",
    "Cán bộ xã",
    "Giáo viên",
    "Lao động tự do",
    "Lái xe",
    "Thợ xây",
]

# Demo hamlets of each commune-level unit (code → hamlet names) and an approximate population.
HAMLETS = {
    "01290": (
        6200,
        ["Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 3", "Tổ dân phố 4", "Tổ dân phố 5", "Nà Pồng", "Khuổi Hao"],
    ),
    "01291": (4800, ["Nà Tồng", "Cốc Phát", "Khuổi Phìn", "Nặm Tàu", "Lũng Pảng", "Phiêng Phường"]),
    "01294": (6900, ["Nà Ké", "Khau Dề", "Cốc Sả", "Sáng Pẻn", "Bản Là", "Khuổi Vin", "Nà Kiềng", "Lũng Mần"]),
    "01296": (3600, ["Nà Lìn", "Pác Phai", "Khuổi Nộc", "Cả Poóc", "Nặm Cuổi"]),
    "01297": (4300, ["Nặm Quang", "Phiêng Lầu", "Nà Mỏ", "Khuổi Ma", "Cốc Pàng", "Tổng Ngoảng"]),
    "01300": (6100, ["Nà Đoỏng", "Bản Tìn", "Khuổi Thao", "Cốc Pục", "Nà Ngàm", "Lũng Vài", "Phiêng Pát"]),
    "01303": (5200, ["Nà Mò", "Khuổi Khí", "Lũng Ngần", "Sác Ngà", "Cao Sơn", "Phiêng Nhùng"]),
    "01304": (4400, ["Tổng Ác", "Nà Vài", "Khuổi Tát", "Lũng Chuông", "Thạch Sơn"]),
    "01309": (3900, ["Nặm Nhụng", "Khuổi Trang", "Bản Đâu", "Nà Hát", "Lũng Khoen"]),
    "01312": (5300, ["Mông Ân", "Lũng Rì", "Khuổi Slung", "Cốc Sâu", "Pác Thay", "Nà Ca"]),
    "01315": (4100, ["Nà Tò", "Cốc Lùng", "Khuổi Mỏ", "Bản Chang", "Lũng Phặc"]),
    "01316": (4700, ["Nặm Lìn", "Phiêng Luông", "Khuổi Chang", "Nà Sa", "Cốc Chia", "Lũng Lìn"]),
    "01318": (5500, ["Nà Pia", "Khuổi Lầy", "Cốc Khuyết", "Lũng Nặm", "Bản Pjạo", "Nà Mạ"]),
}
DISTRICT_POPULATION = sum(pop for pop, _hamlets in HAMLETS.values())

OTHER_PROVINCES = sorted(PROVINCE_CODES - {"004"})


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def generate_people(count, *, hamlets, ethnicities, seed=20241215, today=None):
    """Yield `count` dicts of person fields, the same for the same seed.

    `hamlets` is a list of Unit rows to live in; `ethnicities` maps a name to its Ethnicity row.
    """
    rng = random.Random(seed)
    today = today or datetime.date(2026, 1, 1)
    used_ids = set()
    for _ in range(count):
        ethnic_name = _weighted(rng, ETHNIC_MIX)
        names = NAMES[ethnic_name]
        sex = "M" if rng.random() < 0.7 else "F"
        # Mostly the ages the command tracks: young men for call-up, adults for militia and reserve.
        age = _weighted(
            rng,
            [(rng.randint(16, 17), 6), (rng.randint(18, 27), 34), (rng.randint(28, 45), 42), (rng.randint(46, 60), 18)],
        )
        birth = today.replace(year=today.year - age - 1) + datetime.timedelta(days=rng.randint(1, 364))
        middle = rng.choice(names["male_middle"] if sex == "M" else names["female_middle"])
        given = rng.choice(names["male"] if sex == "M" else names["female"])
        full_name = f"{rng.choice(names['surnames'])} {middle} {given}"
        province = "004" if rng.random() < 0.92 else rng.choice(OTHER_PROVINCES)
        digit4 = (0 if birth.year < 2000 else 2) + (0 if sex == "M" else 1)
        while True:
            national_id = f"{province}{digit4}{birth.year % 100:02d}{rng.randint(0, 999999):06d}"
            if national_id not in used_ids:
                used_ids.add(national_id)
                break
        party = age >= 20 and rng.random() < (0.18 if age >= 30 else 0.05)
        party_joined = None
        if party:
            joined_age = rng.randint(20, max(20, min(age, 35)))
            party_joined = (
                birth.replace(year=birth.year + joined_age)
                if (birth.month, birth.day) != (2, 29)
                else birth.replace(year=birth.year + joined_age, day=28)
            )
            if party_joined > today:
                party_joined = today - datetime.timedelta(days=30)
        education = min(12, max(0, int(rng.gauss(9 if ethnic_name in ("Kinh", "Tày", "Nùng") else 7.5, 2.5))))
        yield {
            "full_name": full_name,
            "search_key": fold(full_name),
            "national_id": national_id,
            "birth_date": birth,
            "sex": sex,
            "ethnicity": ethnicities[ethnic_name],
            "religion": "none" if rng.random() < 0.93 else rng.choice(["buddhism", "protestantism", "catholicism"]),
            "home_unit": rng.choice(hamlets),
            "general_education": education,
            "qualification": "none"
            if rng.random() < 0.8
            else rng.choice(["elementary", "intermediate", "college", "university"]),
            "occupation": "Học sinh" if age < 18 else rng.choice(OCCUPATIONS),
            "is_party_member": party,
            "party_joined_on": party_joined,
            "is_youth_union_member": age <= 30 and rng.random() < 0.45,
            "phone": "" if rng.random() < 0.3 else f"0{rng.choice('3589')}{rng.randint(0, 99999999):08d}",
        }
