"""Fixed material for the demo data.  Demo accounts live under a reserved test domain so they
can never receive real mail."""

from __future__ import annotations

import base64

DEMO_DOMAIN = "demo.rabta.test"
DEMO_PASSWORD = "rabta-demo-2026"  # noqa: S105  (demo accounts only, printed by make run)
# The demo staff accounts share this authenticator key so a reviewer can sign in; real staff
# enrol their own device on first login.
DEMO_STAFF_TOTP_KEY = "3132333435363738393031323334353637383930"
DEMO_STAFF_TOTP_KEY_B32 = base64.b32encode(bytes.fromhex(DEMO_STAFF_TOTP_KEY)).decode().rstrip("=")

FEMALE_NAMES = [
    "Ayesha", "Fatima", "Zainab", "Maryam", "Hira", "Sana", "Mahnoor", "Iqra", "Amna", "Rabia",
    "Sidra", "Nimra", "Kiran", "Saba", "Mehwish", "Areeba", "Laiba", "Anum", "Bushra", "Sadia",
    "Noor", "Hafsa", "Khadija", "Zara", "Farah", "Uzma", "Shazia", "Samina", "Gul", "Palwasha",
]
MALE_NAMES = [
    "Muhammad", "Ahmed", "Ali", "Hassan", "Hamza", "Usman", "Bilal", "Umar", "Saad", "Zain",
    "Imran", "Faisal", "Kashif", "Asad", "Waqas", "Adnan", "Fahad", "Junaid", "Shahzad", "Tariq",
    "Abdullah", "Haris", "Irfan", "Naveed", "Sohail", "Yasir", "Zubair", "Aamir", "Kamran",
    "Wali", "Sher", "Gulzar", "Rashid", "Noman", "Danish", "Arslan", "Taimoor", "Shoaib",
]
SURNAMES = [
    "Khan", "Ahmed", "Ali", "Hussain", "Shah", "Malik", "Qureshi", "Siddiqui", "Chaudhry",
    "Butt", "Sheikh", "Baig", "Mirza", "Abbasi", "Awan", "Rana", "Bhatti", "Memon", "Soomro",
    "Jatoi", "Baloch", "Marri", "Bugti", "Yousafzai", "Afridi", "Khattak", "Durrani", "Niazi",
    "Gilani", "Hashmi", "Javed", "Iqbal", "Raza", "Rizvi", "Naqvi", "Kazmi", "Zaidi", "Lodhi",
    "Mengal", "Achakzai", "Shinwari", "Wazir", "Kakar", "Mangi", "Laghari", "Talpur",
]
UNIVERSITIES = [
    "University of Engineering and Technology, Lahore",
    "University of Engineering and Technology, Peshawar",
    "University of Engineering and Technology, Taxila",
    "NED University of Engineering and Technology",
    "Mehran University of Engineering and Technology",
    "National University of Sciences and Technology",
    "COMSATS University Islamabad",
    "Ghulam Ishaq Khan Institute",
    "Balochistan University of Engineering and Technology, Khuzdar",
    "Quaid-e-Awam University of Engineering, Science and Technology",
    "Bahauddin Zakariya University",
    "Air University",
    "Institute of Space Technology",
    "University of Engineering and Technology, Mardan",
    "Karakoram International University",
    "Mirpur University of Science and Technology",
    "Dawood University of Engineering and Technology",
    "Pakistan Institute of Engineering and Applied Sciences",
    "Sir Syed University of Engineering and Technology",
    "Khwaja Fareed University of Engineering and IT",
]
# (ISO country, city, IANA time zone, employer): 36 countries where Pakistani engineers work.
CONTRIBUTOR_CITIES = [
    ("GB", "London", "Europe/London", "Arup"),
    ("GB", "Manchester", "Europe/London", "AtkinsRéalis"),
    ("US", "Houston", "America/Chicago", "Schlumberger"),
    ("US", "San Jose", "America/Los_Angeles", "Cisco"),
    ("US", "New York", "America/New_York", "AECOM"),
    ("CA", "Toronto", "America/Toronto", "Hydro One"),
    ("CA", "Calgary", "America/Edmonton", "Suncor"),
    ("AU", "Sydney", "Australia/Sydney", "WSP"),
    ("AU", "Perth", "Australia/Perth", "Woodside"),
    ("NZ", "Auckland", "Pacific/Auckland", "Beca"),
    ("AE", "Dubai", "Asia/Dubai", "Emaar"),
    ("AE", "Abu Dhabi", "Asia/Dubai", "ADNOC"),
    ("SA", "Riyadh", "Asia/Riyadh", "SEC"),
    ("SA", "Dhahran", "Asia/Riyadh", "Saudi Aramco"),
    ("QA", "Doha", "Asia/Qatar", "QatarEnergy"),
    ("OM", "Muscat", "Asia/Muscat", "PDO"),
    ("KW", "Kuwait City", "Asia/Kuwait", "KOC"),
    ("BH", "Manama", "Asia/Bahrain", "Bapco"),
    ("DE", "Munich", "Europe/Berlin", "Siemens"),
    ("NL", "Eindhoven", "Europe/Amsterdam", "ASML"),
    ("SE", "Stockholm", "Europe/Stockholm", "Ericsson"),
    ("NO", "Oslo", "Europe/Oslo", "Equinor"),
    ("DK", "Copenhagen", "Europe/Copenhagen", "Ørsted"),
    ("FI", "Helsinki", "Europe/Helsinki", "Nokia"),
    ("FR", "Paris", "Europe/Paris", "Schneider Electric"),
    ("IT", "Milan", "Europe/Rome", "Pirelli"),
    ("ES", "Madrid", "Europe/Madrid", "Iberdrola"),
    ("IE", "Dublin", "Europe/Dublin", "Intel"),
    ("CH", "Zurich", "Europe/Zurich", "ABB"),
    ("TR", "Istanbul", "Europe/Istanbul", "Limak"),
    ("CN", "Shanghai", "Asia/Shanghai", "Huawei"),
    ("JP", "Tokyo", "Asia/Tokyo", "Hitachi"),
    ("KR", "Seoul", "Asia/Seoul", "Samsung"),
    ("SG", "Singapore", "Asia/Singapore", "Surbana Jurong"),
    ("MY", "Kuala Lumpur", "Asia/Kuala_Lumpur", "Petronas"),
    ("ZA", "Johannesburg", "Africa/Johannesburg", "Eskom"),
    ("BR", "São Paulo", "America/Sao_Paulo", "Embraer"),
    ("MX", "Monterrey", "America/Monterrey", "Cemex"),
]
INSTITUTIONS = [
    ("NED University of Engineering and Technology", "university", "Karachi", "Sindh"),
    ("UET Lahore, Department of Electrical Engineering", "university", "Lahore", "Punjab"),
    ("Karakoram International University", "university", "Gilgit", "Gilgit-Baltistan"),
    ("BUET Khuzdar", "university", "Khuzdar", "Balochistan"),
    ("UET Peshawar, Department of Civil Engineering", "university", "Peshawar",
     "Khyber Pakhtunkhwa"),
    ("Sunrise Solar Labs", "startup", "Islamabad", "Islamabad Capital Territory"),
    ("AgriSense Robotics", "startup", "Faisalabad", "Punjab"),
    ("WAPDA Water Wing", "government", "Lahore", "Punjab"),
    ("Sindh Irrigation Department", "government", "Hyderabad", "Sindh"),
    ("Indus Consulting Engineers", "firm", "Karachi", "Sindh"),
    ("Margalla Structural Designs", "firm", "Rawalpindi", "Punjab"),
    ("Women in Engineering Pakistan", "ngo", "Lahore", "Punjab"),
    ("Thar Water Trust", "ngo", "Mithi", "Sindh"),
    ("Mirpur Power Works", "firm", "Mirpur", "Azad Jammu and Kashmir"),
]
