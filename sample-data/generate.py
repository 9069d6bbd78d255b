#!/usr/bin/env python3
"""Writes the demo shop's CSV files into sample-data/csv/.

Run once by a developer when the demo data should change; the CSV files are committed and Till
never runs this script. Deterministic: the same seed gives the same shop.
"""
import csv
import os
import random
import re
import unicodedata
from decimal import Decimal

random.seed(20261125)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "csv")

def ean13(body12):
    digits = [int(c) for c in body12]
    total = sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return body12 + str((10 - total % 10) % 10)

used_barcodes = set()
def new_barcode():
    while True:
        code = ean13("40" + "".join(random.choice("0123456789") for _ in range(10)))
        if code not in used_barcodes:
            used_barcodes.add(code)
            return code

# (category, tax class, unit, sku prefix, [(name, price range)])
CATALOG = [
    ("Coffee & Tea", "reduced", "each", "COF", [
        "Café Crème Beans 500 g", "Espresso Roast 250 g", "Decaf Colombia 250 g", "Ethiopia Yirgacheffe 250 g",
        "House Blend Ground 500 g", "Chai Latte Mix", "Earl Grey Tea 50 bags", "English Breakfast 80 bags",
        "Green Tea Sencha", "Peppermint Infusion", "Rooibos Vanilla", "Matcha Powder 30 g", "Darjeeling First Flush",
        "Instant Coffee Gold", "Cold Brew Concentrate", "Hot Chocolate Deluxe", "Oat Barista Blend", "Café Moka Pods 10",
        "Lungo Pods 10", "Ristretto Pods 10", "Jasmine Pearls", "Chamomile Calm", "Yerba Mate 500 g", "Kaffee Filter Nr. 4",
        "Guatemala Antigua 250 g", "Kenya AA 250 g"]),
    ("Bakery", "reduced", "each", "BAK", [
        "Bäckerei-Brot Sourdough", "Roggenbrot 750 g", "Baguette Tradition", "Croissant au Beurre", "Pain au Chocolat",
        "Brioche Loaf", "Bagel Sesame 4-pack", "Ciabatta", "Focaccia Rosemary", "Rye Crispbread", "Pretzel (Brezel)",
        "Cinnamon Roll", "Apfelstrudel Slice", "Blueberry Muffin", "Banana Bread", "Multigrain Rolls 6-pack",
        "Spelt Loaf", "Stollen 500 g", "Lebkuchen Hearts", "Pumpernickel", "Scone Plain", "Danish Pastry",
        "Éclair au Café", "Madeleines 12", "Panettone Classico"]),
    ("Dairy & Eggs", "reduced", "each", "DAI", [
        "Whole Milk 1 L", "Semi-Skimmed Milk 1 L", "Oat Drink 1 L", "Greek Yogurt 500 g", "Skyr Natural 450 g",
        "Free-Range Eggs 10", "Organic Eggs 6", "Butter Unsalted 250 g", "Crème Fraîche 200 g", "Quark 500 g",
        "Emmentaler Slices", "Gouda Jong 400 g", "Brie de Meaux", "Camembert", "Parmigiano Reggiano 200 g",
        "Mozzarella di Bufala", "Feta 200 g", "Halloumi 250 g", "Cottage Cheese", "Double Cream 300 ml",
        "Kefir 500 ml", "Buttermilk 500 ml", "Ricotta 250 g", "Mascarpone 250 g", "Manchego Curado"]),
    ("Fruit & Vegetables", "reduced", "kg", "PRO", [
        "Bananas", "Gala Apples", "Conference Pears", "Clementines", "Lemons", "Limes", "Avocado Hass", "Tomatoes Vine",
        "Cucumber", "Red Peppers", "Jalapeño Peppers", "Carrots", "Potatoes Agria", "Sweet Potatoes", "Red Onions",
        "Garlic", "Ginger Root", "Broccoli", "Cauliflower", "Courgettes", "Aubergine", "Mushrooms Chestnut",
        "Spinach Leaves", "Kiwi", "Mango", "Pineapple", "Grapes Red Seedless", "Strawberries", "Blueberries",
        "Piña Colada Mix Fruit"]),
    ("Deli", "reduced", "each", "DEL", [
        "Jamón Serrano 100 g", "Prosciutto di Parma 80 g", "Salami Milano", "Chorizo Ibérico", "Smoked Salmon 200 g",
        "Hummus Classic", "Olives Kalamata", "Sun-Dried Tomatoes", "Pesto Genovese", "Tzatziki", "Guacamole",
        "Paté de Campagne", "Leberwurst", "Bratwurst 4-pack", "Frankfurter 6", "Roast Chicken Half", "Quiche Lorraine",
        "Falafel 12", "Antipasti Mix", "Coleslaw", "Kartoffelsalat", "Sushi Box", "Onigiri Salmon おにぎり"]),
    ("Pantry", "reduced", "each", "PAN", [
        "Spaghetti No. 5", "Penne Rigate", "Basmati Rice 1 kg", "Arborio Rice", "Jasmine Rice 1 kg", "Quinoa 500 g",
        "Couscous", "Red Lentils", "Chickpeas Tin", "Black Beans Tin", "Chopped Tomatoes", "Passata", "Coconut Milk",
        "Olive Oil Extra Virgin 500 ml", "Sunflower Oil 1 L", "Balsamic Vinegar", "Dijon Mustard", "Mayonnaise",
        "Ketchup", "Sriracha", "Soy Sauce", "Honey Acacia", "Maple Syrup", "Strawberry Jam", "Peanut Butter Crunchy",
        "Nutella 400 g", "Oats Rolled 1 kg", "Muesli Bircher", "Cornflakes", "Plain Flour 1 kg", "Caster Sugar 1 kg",
        "Sea Salt Flakes", "Black Pepper Grinder", "Paprika Smoked", "Curry Powder", "Vegetable Stock Cubes",
        "Ramen Noodles 拉麺", "Gnocchi", "Tortilla Wraps 8"]),
    ("Snacks & Sweets", "standard", "each", "SNK", [
        "Sea Salt Crisps", "Paprika Crisps", "Tortilla Chips", "Salted Peanuts", "Mixed Nuts", "Trail Mix",
        "Dark Chocolate 70%", "Milk Chocolate Hazelnut", "White Chocolate", "Gummy Bears", "Liquorice Allsorts",
        "Popcorn Sweet & Salty", "Rice Cakes", "Oat Bar Apple", "Protein Bar Peanut", "Shortbread", "Digestives",
        "Chocolate Chip Cookies", "Stroopwafels", "Macarons 6", "Turrón de Jijona", "Mochi Matcha", "Pretzel Sticks",
        "Wasabi Peas"]),
    ("Drinks", "standard", "each", "DRK", [
        "Mineral Water Still 1.5 L", "Sparkling Water 1 L", "Cola 330 ml", "Cola Zero 330 ml", "Lemonade 750 ml",
        "Orange Juice 1 L", "Apple Juice Cloudy 1 L", "Apfelschorle 500 ml", "Ginger Beer", "Tonic Water",
        "Kombucha Original", "Iced Tea Peach", "Energy Drink 250 ml", "Coconut Water", "Elderflower Cordial",
        "Pilsner 500 ml", "Weißbier 500 ml", "IPA Craft 330 ml", "Cider Dry", "Rioja Crianza", "Prosecco DOC",
        "Riesling Trocken", "Sauvignon Blanc", "Crémant d'Alsace"]),
    ("Household", "standard", "each", "HOU", [
        "Dish Soap Lemon", "Dishwasher Tabs 40", "Laundry Liquid 1.5 L", "Fabric Softener", "All-Purpose Cleaner",
        "Glass Cleaner", "Bin Bags 20", "Kitchen Roll 4", "Toilet Paper 9", "Sponges 5", "Aluminium Foil",
        "Cling Film", "Baking Paper", "Freezer Bags", "Candles Tea Light 50", "Matches", "Light Bulb LED E27",
        "AA Batteries 4", "AAA Batteries 4", "Scented Candle Figue", "Beeswax Wraps", "Microfibre Cloths"]),
    ("Personal Care", "standard", "each", "PER", [
        "Toothpaste Mint", "Toothbrush Soft", "Dental Floss", "Mouthwash", "Shampoo Argan", "Conditioner",
        "Shower Gel Citrus", "Bar Soap Lavender", "Hand Cream", "Lip Balm", "Deodorant Roll-On", "Sunscreen SPF 50",
        "Cotton Pads", "Razor Blades 4", "Shaving Foam", "Plasters Assorted", "Tissues Pocket 10", "Body Lotion",
        "Face Wash", "Hair Gel"]),
    ("Apparel", "standard", "each", "APP", []),
    ("Stationery", "standard", "each", "STA", [
        "Notebook A5 Dotted", "Notebook A4 Lined", "Ballpoint Pens 10", "Gel Pen Black", "Pencils HB 12",
        "Eraser", "Sharpener", "Highlighters 4", "Sticky Notes", "Envelopes C5 25", "Greeting Card Birthday",
        "Gift Wrap Roll", "Sellotape", "Scissors", "Glue Stick", "Stapler", "Paper Clips", "Postcard Berlin",
        "Calendar 2027", "Fountain Pen Cartridges"]),
]

APPAREL = [
    ("Organic Cotton T-Shirt", ["S", "M", "L", "XL"], ["Navy", "Oat", "Black"], (14.0, 22.0)),
    ("Merino Beanie", None, ["Charcoal", "Mustard", "Forest"], (19.0, 29.0)),
    ("Canvas Tote Bag", None, None, (9.0, 14.0)),
    ("Hooded Sweatshirt", ["S", "M", "L", "XL"], ["Grey Marl", "Navy"], (39.0, 55.0)),
    ("Wool Socks", ["36-40", "41-46"], ["Red", "Grey"], (8.0, 12.0)),
    ("Apron Linen", None, ["Natural", "Rust"], (24.0, 32.0)),
    ("Baseball Cap", None, ["Black", "Sand"], (15.0, 20.0)),
    ("Rain Jacket", ["S", "M", "L"], ["Yellow"], (59.0, 79.0)),
]

PRICE_RANGES = {
    "COF": (2.5, 16.0), "BAK": (0.9, 9.5), "DAI": (0.89, 6.9), "PRO": (0.99, 12.9), "DEL": (1.9, 9.9),
    "PAN": (0.59, 8.9), "SNK": (0.79, 6.5), "DRK": (0.39, 14.9), "HOU": (0.99, 12.5), "PER": (0.99, 14.9),
    "STA": (0.5, 12.0),
}

def price_between(lo, hi):
    cents = random.randint(int(lo * 100), int(hi * 100))
    # Shop prices end in 9 or 5 most of the time.
    cents = cents - cents % 10 + random.choice([9, 9, 9, 5, 0])
    return max(cents, 9)

def money(cents):
    return f"{cents // 100}.{cents % 100:02d}"

def slug(text):
    out = []
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    for ch in folded.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")

products = []  # dicts in CSV order
for category, tax, unit, prefix, names in CATALOG:
    if prefix == "APP":
        for idx, (name, sizes, colours, (lo, hi)) in enumerate(APPAREL, start=1):
            price = price_between(lo, hi)
            cost = price * random.randint(35, 55) // 100
            handle = slug(name)
            combos = [(s, c) for s in (sizes or [None]) for c in (colours or [None])]
            for vidx, (size, colour) in enumerate(combos, start=1):
                option = " / ".join(x for x in (size, colour) if x)
                sku = f"APP-{idx:03d}" + (f"-{vidx:02d}" if option else "")
                products.append(dict(handle=handle, sku=sku, name=name, option=option,
                                     barcode=new_barcode(), price=money(price), cost=money(cost),
                                     category=category, tax_class=tax, unit="each",
                                     reorder_point=str(random.choice([2, 3, 4])), active="true"))
        continue
    lo, hi = PRICE_RANGES[prefix]
    for idx, name in enumerate(names, start=1):
        price = price_between(lo, hi)
        cost = price * random.randint(40, 70) // 100
        sku = f"{prefix}-{idx:03d}"
        if unit == "kg":
            # Sold loose: the scale prints GS1 variable-measure labels 21IIIII VVVVV C; this is the base code
            # (value zeroed) the label is matched against.
            barcode = ean13(f"21{idx:05d}00000")
        else:
            codes = [new_barcode()]
            if random.random() < 0.12:  # a second barcode: an older pack or a multi-pack outer
                codes.append(new_barcode())
            barcode = ";".join(codes)
        products.append(dict(handle=slug(name) or sku.lower(), sku=sku, name=name, option="", barcode=barcode,
                             price=money(price), cost=money(cost), category=category, tax_class=tax, unit=unit,
                             reorder_point=str(random.choice([5, 6, 8, 10, 12])), active="true"))
# A discontinued product keeps its history but is no longer sold.
products[7]["active"] = "false"

# What a pack holds, from the size its name states ("Cola 330 ml" → 0.33l), in the form Till keeps (thousandths of a kg
# or l, shortest decimal): the shelf label's unit price per kg or l. Goods sold by weight need none.
SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(kg|g|ml|l|L)$")

def content(name, unit):
    match = SIZE.search(name)
    if unit != "each" or not match:
        return ""
    amount, size_unit = match.group(1), match.group(2).lower()
    milli = int(Decimal(amount) * (1 if size_unit in ("g", "ml") else 1000))
    whole, fraction = divmod(milli, 1000)
    return str(whole) + (f".{fraction:03d}".rstrip("0") if fraction else "") + ("kg" if size_unit in ("g", "kg") else "l")

for product in products:
    product["content"] = content(product["name"], product["unit"])

FIELDS = ["handle", "sku", "name", "option", "barcode", "price", "cost", "category", "tax_class", "unit",
          "reorder_point", "active", "case_barcodes", "content"]

def write(name, fields, rows):
    with open(os.path.join(OUT, name), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow(r)

os.makedirs(OUT, exist_ok=True)
# The open-price item (store setting misc_sku): things not in the catalog are sold as it, at a typed price
# (`*4.50 Gift wrap`). Added after everything random, so the rest of the data is as before; it carries no stock.
MISC = dict(handle="open-price-item", sku="MISC", name="Open price item", option="", barcode="", price="0.00",
            cost="0.00", category="Stationery", tax_class="standard", unit="each", reorder_point="0", active="true")
write("products.csv", FIELDS, products + [MISC])

write("tax_classes.csv", ["code", "name", "rate"], [
    dict(code="standard", name="Standard rate", rate="19"),
    dict(code="reduced", name="Reduced rate (food, books)", rate="7"),
    dict(code="zero", name="Zero rate", rate="0"),
])

write("store.csv", ["setting", "value"], [
    dict(setting="name", value="Corner Store Demo"),
    dict(setting="currency", value="EUR"),
    dict(setting="tax_inclusive", value="true"),
    dict(setting="gs1_variable_measure", value="weight"),
    dict(setting="misc_sku", value="MISC"),
])

write("locations.csv", ["code", "name"], [
    dict(code="floor", name="Shop floor"),
    dict(code="back", name="Back room"),
])

FIRST = ["Anna", "Ben", "Chloé", "David", "Emma", "Felix", "Greta", "Hugo", "Ines", "Jonas", "Katarzyna", "Lukas",
         "Maria", "Noah", "Olivia", "Paul", "Quentin", "Rosa", "Sofia", "Tomás", "Ursula", "Viktor", "Wen", "Xavier",
         "Yuki", "Zoë", "Aisha", "Björn", "Carmen", "Dmitri", "Élodie", "Farah", "Giulia", "Hannes", "Irina",
         "Jürgen", "Kenji", "Leila", "Mateo", "Nadia", "Oskar", "Priya", "Rafael", "Sven", "Tanja", "Umar", "Vera",
         "William", "Ximena", "Yara"]
LAST = ["Müller", "Schmidt", "Dubois", "García", "Rossi", "Nowak", "Jensen", "O'Brien", "Kowalski", "Fischer",
        "Martin", "López", "Bianchi", "Svensson", "Novak", "Weber", "Tanaka", "Khan", "Yılmaz", "Costa", "Becker",
        "Meyer", "Schulz", "Hoffmann", "Papadopoulos"]
NOTES = ["", "", "", "", "Prefers paper receipts", "Allergic to nuts", "Orders oat milk weekly", "Trade customer",
         "Ask about loyalty card", ""]
customers = []
for i, first in enumerate(FIRST):
    last = random.choice(LAST)
    email_user = slug(f"{first}.{last}").replace("-", ".") or f"customer{i}"
    customers.append(dict(name=f"{first} {last}", email=f"{email_user}@example.com",
                          phone=f"+49 30 {random.randint(1000000, 9999999)}", notes=random.choice(NOTES)))
write("customers.csv", ["name", "email", "phone", "notes"], customers)

write("staff.csv", ["username", "name", "role", "pin"], [
    dict(username="ana", name="Ana Cashier", role="cashier", pin="1111"),
    dict(username="max", name="Max Manager", role="manager", pin="2222"),
    dict(username="sam", name="Sam Support", role="support", pin="3333"),
    dict(username="ada", name="Ada Admin", role="admin", pin="4444"),
])

stock = []
on_hand = {}
for p in products:
    if p["unit"] == "kg":
        floor_qty = f"{random.randint(15, 60)}.{random.choice(['000', '500', '250'])}"
        back_qty = f"{random.randint(10, 40)}.000"
    else:
        floor_qty = str(random.randint(20, 60))
        back_qty = str(random.choice([0, 12, 24, 24, 36, 48]))
    stock.append(dict(sku=p["sku"], location="floor", on_hand=floor_qty))
    stock.append(dict(sku=p["sku"], location="back", on_hand=back_qty))
write("stock.csv", ["sku", "location", "on_hand"], stock)

# Historical sales over the 30 days before the store is created: day_offset -30 .. -1 (and a few today, 0).
sellable = [p for p in products if p["active"] == "true"]
orders, lines = [], []
ref = 0
BRANDS = ["visa", "mastercard", "amex"]
for day in range(-30, 1):
    count = random.randint(8, 16) if day < 0 else 4
    times = sorted((random.randint(8, 19), random.randint(0, 59)) for _ in range(count))
    for hour, minute in times:
        ref += 1
        customer = random.choice(customers)["email"] if random.random() < 0.35 else ""
        pay = random.choice(["cash", "card", "card"])
        brand = random.choice(BRANDS) if pay == "card" else ""
        last4 = f"{random.randint(0, 9999):04d}" if pay == "card" else ""
        orders.append(dict(ref=f"H{ref:04d}", day_offset=str(day), time=f"{hour:02d}:{minute:02d}",
                           staff=random.choice(["ana", "ana", "max"]), customer_email=customer, payment=pay,
                           card_brand=brand, card_last4=last4))
        for item in random.sample(sellable, random.randint(1, 5)):
            qty = f"0.{random.randint(200, 950):03d}" if item["unit"] == "kg" else str(random.choice([1, 1, 1, 2, 3]))
            lines.append(dict(ref=f"H{ref:04d}", sku=item["sku"], qty=qty))
write("orders.csv", ["ref", "day_offset", "time", "staff", "customer_email", "payment", "card_brand", "card_last4"],
      orders)
write("order_lines.csv", ["ref", "sku", "qty"], lines)
print(f"{len(products)} products, {len(customers)} customers, {len(orders)} orders, {len(lines)} lines")

write("promotions.csv", ["name", "kind", "category", "sku", "percent", "buy", "free", "bundle_quantity", "bundle_price"], [
    dict(name="Bakery 10% off", kind="category_percent", category="Bakery", sku="", percent="10", buy="", free="",
         bundle_quantity="", bundle_price=""),
    dict(name="Crisps: buy 2 get 1 free", kind="buy_x_get_y", category="", sku="SNK-001", percent="", buy="2", free="1",
         bundle_quantity="", bundle_price=""),
    dict(name="Cola: 3 for 20.00", kind="multi_buy", category="", sku="DRK-003", percent="", buy="", free="",
         bundle_quantity="3", bundle_price="20.00"),
])
