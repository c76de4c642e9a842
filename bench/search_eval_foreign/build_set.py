# ruff: noqa: E501  (data: one listing or one query a line)
"""Writes catalog.jsonl and queries.jsonl from catalog_data.py and the queries below (the queries were written
before the engine was first run on this set, and frozen). Judgments are graded from each product's structured spec:

    3  the query's product type and every spec it states holds (ranges honoured)
    2  right type, a stated spec unspecified in the listing or slightly off (numbers within 15 %, a higher IP
       rating than asked), or a listed substitute type
    1  right type with a contradicting spec (12 V asked, 48 V listed; 304 asked, 316 listed), or a related
       product (an accessory of it, the tool a blade fits)

A few queries carry explicit grades for listings the rules cannot tell apart (by a title fragment).

    python bench/search_eval_foreign/build_set.py
"""

import json
import re
from pathlib import Path

from catalog_data import F

HERE = Path(__file__).resolve().parent
STRICT = {
    "v",
    "steel",
    "sds",
    "base",
    "inch",
    "m",
    "dn",
    "std",
    "size",
    "kind",
    "fil",
    "process",
    "fuel",
    "mat",
    "coat",
    "conn",
    "model",
    "ft",
    "pos",
    "mm",
    "tech",
    "grade",
    "cut",
}


class Blank(dict):
    def __missing__(self, key):
        return ""


def fmt(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def build_catalog():
    products = []
    n = 0
    for fam in F:
        for i, spec in enumerate(fam["variants"]):
            n += 1
            fields = Blank({k: fmt(v) for k, v in spec.items() if v is not None})
            title = spec.get("t") or fam["title"].format_map(fields)
            title = re.sub(r"\s+", " ", title).strip()
            desc = fam["desc"].format_map(fields) + spec.get("d", "")
            attrs = []
            for name, key, unit in fam["attrs"]:
                value = spec.get(key)
                if value is None or value == "":
                    continue
                row = {"name": name, "value": fmt(value)}
                if unit:
                    row["unit"] = unit
                attrs.append(row)
            price = fam["price"] * (1 + 0.12 * i)
            moq = fam["moq"]
            row = {
                "external_id": f"FC-{n:04d}",
                "title": title,
                "description": desc,
                "category": fam["category"],
                "moq": moq,
                "unit": fam["unit"],
                "price_tiers": [
                    {"min_quantity": moq, "unit_price": f"{price:.2f}"},
                    {"min_quantity": moq * 5, "unit_price": f"{price * 0.92:.2f}"},
                    {"min_quantity": moq * 20, "unit_price": f"{price * 0.85:.2f}"},
                ],
                "currency": "USD",
                "lead_time_days": 15 + (n * 7) % 30,
            }
            # About one listing in six carries no attributes: its specs are only in the title or description.
            if attrs and n % 6 != 0:
                row["attributes"] = attrs
            products.append((row, fam["type"], spec))
    return products


def check(spec, key, want):
    """'ok', 'off', 'unspec' or 'contra' for one stated constraint."""
    have = spec.get(key)
    if isinstance(want, bool):
        return "ok" if bool(have) == want else "contra"
    if have is None:
        return "unspec"
    if isinstance(want, tuple):
        op, x = want
        if op == "ge":
            return "ok" if have >= x else ("off" if have >= x * 0.9 else "contra")
        if op == "le":
            return "ok" if have <= x else ("off" if have <= x * 1.1 else "contra")
        if op == "tmin":  # rated down to at least x °C
            return "ok" if have <= x else "contra"
        if op == "ip":  # IP rating: exactly -> ok, higher -> off, lower -> contra
            return "ok" if have == x else ("off" if have > x else "contra")
        raise ValueError(op)
    if isinstance(want, (int, float)) and isinstance(have, (int, float)):
        if abs(have - want) <= 0.01 * abs(want):
            return "ok"
        if key not in STRICT and abs(have - want) <= 0.15 * abs(want):
            return "off"
        return "contra"
    return "ok" if str(have).lower() == str(want).lower() else "contra"


def spec_grade(spec, constraints):
    states = [check(spec, k, v) for k, v in constraints.items()]
    if "contra" in states:
        return 1
    if "off" in states or "unspec" in states:
        return 2
    return 3


def judge(products, q):
    types = q["t"] if isinstance(q["t"], tuple) else (q["t"],)
    out = {}
    for row, type_, spec in products:
        g = 0
        if type_ in types:
            g = spec_grade(spec, q.get("c", {}))
        elif type_ in q.get("sub", ()):
            g = min(2, spec_grade(spec, q.get("c", {})))
        elif type_ in q.get("rel", ()):
            g = 1
        for fragment, grade in q.get("j", {}).items():
            if fragment.lower() in row["title"].lower():
                g = grade
        if g:
            out[row["external_id"]] = g
    return out


def Q(lang, query, kinds, t, c=None, **kw):
    return {"lang": lang, "query": query, "kinds": kinds.split(",") if kinds else [], "t": t, "c": c or {}, **kw}


NO_DISC = {"flap": False, "diamond": False}
RESP = {"N95 Respirator": 2, "KN95": 2}

QUERIES = [
    # ------------------------------------------------------------------ English
    Q("en", "450w mono solar panel half cell", "spec", "solar_panel", {"w": 450, "half": True}),
    Q("en", "bifacial pv module 550 wp", "spec,jargon", "solar_panel", {"w": 550, "bifacial": True}),
    Q("en", "300 watt polycrystalline panel", "spec", "solar_panel", {"w": 300, "tech": "poly"}),
    Q("en", "flexible solar panel for sailboat", "long_tail", "solar_panel", {"flexible": True}),
    Q(
        "en",
        "solar street light rated -30°C",
        "numeric_range",
        "solar_street_light",
        {"tmin": ("tmin", -30)},
        rel=("solar_garden_light", "solar_flood_light"),
    ),
    Q(
        "en",
        "lifepo4 48v 100ah server rack battery",
        "spec,jargon",
        "lifepo4_battery",
        {"v": 48, "ah": 100, "rack": True},
    ),
    Q("en", "12v 100ah lithium battery", "spec", "lifepo4_battery", {"v": 12, "ah": 100}, rel=("lead_acid_battery",)),
    Q("en", "BESS 200kWh commercial", "jargon,spec", "ess_cabinet", {"kwh": 200}),
    Q(
        "en",
        "hybrid inverter 5kw 48v mppt",
        "spec,jargon",
        "hybrid_inverter",
        {"kw": 5, "v": 48},
        rel=("charge_controller",),
    ),
    Q("en", "MPPT charge controller 60A", "jargon,spec", "charge_controller", {"kind": "MPPT", "a": 60}),
    Q(
        "en",
        "on grid inverter three phase 20kw",
        "spec",
        "grid_tie_inverter",
        {"kw": 20, "three": True},
        rel=("hybrid_inverter",),
    ),
    Q("en", "portable power station over 2000Wh", "numeric_range", "portable_power_station", {"wh": ("ge", 2000)}),
    Q("en", "portable charger 20000mah for laptop", "synonym,spec", "power_bank", {"mah": 20000, "pdw": ("ge", 45)}),
    Q("en", "magsafe battery pack", "synonym,jargon", "power_bank", {"wireless": True}),
    Q("en", "mc4 connectors", "jargon", "mc4_connector", rel=("pv_cable",)),
    Q("en", "silent diesel genset", "synonym", "generator", {"fuel": "Diesel"}),
    Q(
        "en",
        "brushless cordless drill 20v",
        "spec",
        "cordless_drill",
        {"v": 20, "brushless": True},
        rel=("tool_battery", "drill_bit"),
    ),
    Q(
        "en",
        "cordles impakt driver brushles",
        "typo",
        "impact_driver",
        {"kind": "driver", "brushless": True},
        rel=("cordless_drill",),
    ),
    Q("en", "1/2 impact wrench 400 nm", "spec", "impact_driver", {"kind": "wrench", "nm": 400}),
    Q("en", "sds plus bits for concrete", "spec", "drill_bit", {"sds": "plus"}, rel=("rotary_hammer",)),
    Q(
        "en",
        "drill bits for stainless steel",
        "long_tail",
        "drill_bit",
        {"for": "metal"},
        j={"Cobalt Drill Bits": 3, "HSS Twist": 2, "Step Drill": 2},
    ),
    Q("en", "rotary hammer 800w sds+", "spec", "rotary_hammer", {"w": 800, "sds": "SDS-plus"}, rel=("drill_bit",)),
    Q("en", "jack hammer sds max breaker", "synonym", "rotary_hammer", {"breaker": True}),
    Q("en", "angle grinder 125mm 1200w", "spec", "angle_grinder", {"mm": 125, "w": 1200}, rel=("cutting_disc",)),
    Q("en", "cut off wheel 115mm inox", "synonym,spec", "cutting_disc", {"mm": 115, **NO_DISC}, rel=("angle_grinder",)),
    Q("en", "saw blade 185mm for wood", "spec", "saw_blade", {"mm": 185}, rel=("circular_saw",)),
    Q("en", "circular saw 185mm", "spec", "circular_saw", {"mm": 185, "table": False}, rel=("saw_blade",)),
    Q(
        "en",
        "sabre saw cordless",
        "synonym",
        "reciprocating_saw",
        {"cordless": True},
        j={"Reciprocating Saw Blades": 1},
    ),
    Q("en", "hot air gun 2000 w", "synonym,spec", "heat_gun", {"w": 2000}),
    Q("en", "high bay ufo 150 watt", "jargon,spec", "high_bay", {"w": 150, "round": True}),
    Q(
        "en",
        "warehouse led light 200 watt ip65",
        "synonym,spec",
        "high_bay",
        {"w": 200, "ipn": ("ip", 65)},
        rel=("flood_light",),
    ),
    Q(
        "en",
        "led floodlight 100w ip66 -40",
        "spec,numeric_range",
        "flood_light",
        {"w": 100, "ipn": ("ip", 66), "tmin": ("tmin", -40)},
    ),
    Q(
        "en",
        "flood light for freezing winters down to -35°C",
        "numeric_range,long_tail",
        "flood_light",
        {"tmin": ("tmin", -35)},
        rel=("solar_flood_light",),
    ),
    Q("en", "600x600 led panel 40w", "spec", "panel_light", {"size": "600x600", "w": 40}),
    Q("en", "t8 led tube 4ft", "jargon", "led_tube", {"len": 1200}),
    Q("en", "e27 9w led bulb", "spec", "led_bulb", {"base": "E27", "w": 9}),
    Q("en", "waterproof led strip 24v", "spec", "led_strip", {"v": 24, "ipn": ("ip", 65)}),
    Q("en", "rechargeable torch 1000 lumens", "synonym,spec", "flashlight", {"lm": 1000, "head": False}),
    Q("en", "vapor tight fixture 4ft", "jargon", "tri_proof_light", {"len": 4}),
    Q("en", "ip68 swimming pool light", "spec", "pool_light"),
    Q(
        "en",
        "4 inch submersible borehole pump 1.5 hp",
        "spec",
        "borehole_pump",
        {"well_in": 4, "hp": 1.5, "solar": False},
    ),
    Q("en", "dc solar pump for irrigation", "long_tail", "borehole_pump", {"solar": True}),
    Q("en", "sewage pump with grinder", "synonym", "sewage_pump", j={"Cutter": 3, "Drainage": 2}),
    Q("en", "brass ball valve 3/4", "spec", "ball_valve", {"inch": 0.75, "mat": "Brass"}),
    Q("en", "316 ball valve 1 inch", "spec", "ball_valve", {"steel": 316, "inch": 1}),
    Q("en", "gate valve dn50", "spec", "gate_valve", {"dn": 50, "butterfly": False, "check": False}),
    Q("en", "glycerine filled pressure gauge 100mm", "spec", "pressure_gauge", {"mm": 100}),
    Q("en", "kraft mailer boxes custom print", "jargon", "mailer_box", {"kraft": True, "print": True, "rsc": False}),
    Q("en", "poly mailers 10x13", "jargon,spec", "poly_mailer", {"size": "10x13"}),
    Q("en", "pallet wrap 23mic", "jargon,spec", "stretch_film", {"mic": 23, "bubble": False}),
    Q("en", "pet bottle at least 1 litre", "numeric_range", "bottle", {"mat": "PET", "ml": ("ge", 1000)}),
    Q("en", "250ml glass jar with lid", "spec", "bottle", {"ml": 250, "mat": "Glass"}),
    Q("en", "304 stainless cookware set", "spec", "cookware_set", {"steel": 304}),
    Q("en", "insulated water bottle 500 ml", "synonym,spec", "vacuum_flask", {"ml": 500}),
    Q("en", "electric kettle 1.7 litre 2200w", "spec", "kettle", {"l": 1.7, "w": 2200}),
    Q("en", "air fryer at least 5 litres", "numeric_range", "air_fryer", {"l": ("ge", 5)}),
    Q("en", "blank cotton tee 180 gsm", "synonym,spec", "tshirt", {"gsm": 180, "mat": "100% cotton", "polo": False}),
    Q("en", "nitrile exam gloves powder free", "spec", "disposable_gloves", {"mat": "Nitrile"}, rel=("work_gloves",)),
    Q("en", "S3 steel toe work boots", "jargon", "safety_shoes", {"std": "S3"}),
    Q("en", "usb c cable 100w 2m", "spec", "usb_cable", {"w": 100, "m": 2}),
    Q("en", "GaN charger 65W", "jargon,spec", "wall_charger", {"w": 65, "car": False}),
    Q("en", "h4 led headlight bulb", "spec", "headlight_bulb", {"base": "H4", "halogen": False}),
    Q("en", "M10 hex bolts A4 stainless", "jargon,spec", "hex_bolt", {"m": "M10", "steel": 316}),
    Q("en", "201 stainless sheet", "spec", "steel_sheet", {"steel": 201}),
    Q("en", "ergonomic mesh chair", "synonym", "office_chair", {"mesh": True}),
    Q("en", "sit stand desk dual motor", "synonym", "desk", {"mot": 2}),
    Q("en", "screw air compressor 7.5 kw", "spec", "air_compressor", {"kw": 7.5, "screw": True}),
    Q("en", "fiber laser cutter 3kw", "spec", "laser_machine", {"w": 3000, "cut": True}),
    Q("en", "ffp2 masks", "spec", "face_mask", {"fil": "FFP2"}, j=RESP),
    Q("en", "electric forklift 1.5t", "spec", "forklift", {"ton": 1.5, "fuel": "Electric"}),
    Q("en", "welding machine over 180 amp", "numeric_range", "welder", {"a": ("ge", 180), "helmet": False}),
    # ------------------------------------------------------------------ Chinese
    Q("zh-hans", "单晶光伏板 400W 半片", "spec", "solar_panel", {"w": 400, "half": True, "tech": "mono"}),
    Q("zh-hans", "双面双玻组件 550瓦", "spec,jargon", "solar_panel", {"w": 550, "bifacial": True}),
    Q("zh-hans", "柔性太阳能板 100w", "spec", "solar_panel", {"flexible": True, "w": 100}),
    Q(
        "zh-hans",
        "太阳能路灯 200瓦 IP66",
        "spec",
        "solar_street_light",
        {"w": 200, "ipn": ("ip", 66)},
        rel=("solar_garden_light", "solar_flood_light"),
    ),
    Q("zh-hans", "磷酸铁锂电池 48V 200Ah 壁挂", "spec", "lifepo4_battery", {"v": 48, "ah": 200}),
    Q("zh-hans", "工商业储能柜 215度", "jargon,spec", "ess_cabinet", {"kwh": 215}),
    Q("zh-hans", "离网逆变器 3kw 24v", "spec", "hybrid_inverter", {"kw": 3, "v": 24}),
    Q("zh-hans", "移动电源 20000毫安 快充", "synonym,spec", "power_bank", {"mah": 20000}),
    Q("zh-hans", "磁吸无线充电宝", "synonym", "power_bank", {"wireless": True}),
    Q("zh-hans", "户外电源 1000W", "synonym,spec", "portable_power_station", {"w": 1000}),
    Q("zh-hans", "锂电钻 无刷 20V", "spec", "cordless_drill", {"v": 20, "brushless": True}),
    Q("zh-hans", "电锤 SDS plus 800瓦", "spec", "rotary_hammer", {"sds": "SDS-plus", "w": 800}),
    Q("zh-hans", "角磨机 125mm", "spec", "angle_grinder", {"mm": 125}, rel=("cutting_disc",)),
    Q("zh-hans", "圆锯片 185mm 40齿", "spec", "saw_blade", {"mm": 185, "teeth": 40}, rel=("circular_saw",)),
    Q("zh-hans", "高速钢麻花钻头套装", "jargon", "drill_bit", {"mat": "HSS", "step": False}),
    Q("zh-hans", "工矿灯 150W UFO", "jargon,spec", "high_bay", {"w": 150, "round": True}),
    Q("zh-hans", "LED投光灯 50W IP65", "spec", "flood_light", {"w": 50, "ipn": ("ip", 65)}),
    Q(
        "zh-hans",
        "零下40度 投光灯",
        "numeric_range",
        "flood_light",
        {"tmin": ("tmin", -40)},
        rel=("solar_flood_light",),
    ),
    Q("zh-hans", "深井泵 4寸 1.5匹", "spec,jargon", "borehole_pump", {"well_in": 4, "hp": 1.5, "solar": False}),
    Q("zh-hans", "不锈钢球阀 316 1寸", "spec", "ball_valve", {"steel": 316, "inch": 1}),
    Q("zh-hans", "牛皮纸飞机盒 定制印刷", "jargon", "mailer_box", {"kraft": True, "print": True, "rsc": False}),
    Q("zh-hans", "缠绕膜 500mm", "spec", "stretch_film", {"mm": 500, "bubble": False}),
    Q("zh-hans", "保温杯 500毫升 304不锈钢", "spec", "vacuum_flask", {"ml": 500, "steel": 304}),
    Q("zh-hans", "电热水壶 1.7升", "spec", "kettle", {"l": 1.7}),
    Q("zh-hans", "空气炸锅 8升 双篮", "spec", "air_fryer", {"l": 8}),
    Q("zh-hans", "纯棉T恤 180克", "spec", "tshirt", {"gsm": 180, "mat": "100% cotton", "polo": False}),
    Q("zh-hans", "一次性丁晴手套", "typo", "disposable_gloves", {"mat": "Nitrile"}, rel=("work_gloves",)),
    Q("zh-hans", "氮化镓充电器 65瓦", "jargon,spec", "wall_charger", {"w": 65, "car": False}),
    Q("zh-hans", "304不锈钢板 1.0mm", "spec", "steel_sheet", {"steel": 304, "th": 1.0}),
    Q("zh-hans", "六角螺栓 M8 304", "spec", "hex_bolt", {"m": "M8", "steel": 304}),
    Q("zh-hans", "功率大于1500W的光纤激光切割机", "numeric_range", "laser_machine", {"w": ("ge", 1500), "cut": True}),
    Q("zh-hans", "电动叉车 1.5吨", "spec", "forklift", {"ton": 1.5, "fuel": "Electric"}),
    # ------------------------------------------------------------------ Spanish
    Q("es", "panel solar 450w monocristalino", "spec", "solar_panel", {"w": 450, "tech": "mono"}),
    Q("es", "paneles solares bifaciales 550 w", "spec", "solar_panel", {"w": 550, "bifacial": True}),
    Q("es", "farola solar todo en uno 100w", "spec", "solar_street_light", {"w": 100}, rel=("solar_flood_light",)),
    Q(
        "es",
        "bateria litio 12v 100ah lifepo4",
        "spec",
        "lifepo4_battery",
        {"v": 12, "ah": 100},
        rel=("lead_acid_battery",),
    ),
    Q("es", "inversor hibrido 5 kw 48v", "spec", "hybrid_inverter", {"kw": 5, "v": 48}),
    Q("es", "regulador de carga mppt 40a", "jargon,spec", "charge_controller", {"kind": "MPPT", "a": 40}),
    Q("es", "bateria externa 10000 mah", "synonym,spec", "power_bank", {"mah": 10000}),
    Q("es", "taladro inalanbrico sin escobillas 20v", "typo,spec", "cordless_drill", {"v": 20, "brushless": True}),
    Q("es", "brocas para concreto sds plus", "spec", "drill_bit", {"sds": "plus"}),
    Q("es", "amoladora angular 115 mm 850w", "spec", "angle_grinder", {"mm": 115, "w": 850}, rel=("cutting_disc",)),
    Q("es", "disco de corte 115 para acero inoxidable", "spec", "cutting_disc", {"mm": 115, **NO_DISC}),
    Q("es", "sierra circular 1400w", "spec", "circular_saw", {"w": 1400}, rel=("saw_blade",)),
    Q("es", "pistola de calor 2000w", "spec", "heat_gun", {"w": 2000}),
    Q("es", "campana industrial led 200w", "jargon,spec", "high_bay", {"w": 200}),
    Q("es", "reflector led 100w ip66", "synonym,spec", "flood_light", {"w": 100, "ipn": ("ip", 66)}),
    Q("es", "linterna recargable 1000 lumenes", "spec", "flashlight", {"lm": 1000, "head": False}),
    Q("es", "bomba sumergible para pozo profundo 4 pulgadas", "spec", "borehole_pump", {"well_in": 4}),
    Q("es", "valvula de bola de laton 1/2", "spec", "ball_valve", {"inch": 0.5, "mat": "Brass"}),
    Q("es", "cajas de carton kraft para envios", "synonym", "mailer_box", {"kraft": True}),
    Q("es", "bolsas de papel kraft con asa", "spec", "paper_bag", j={"Twisted Handle": 3, "Flat Bottom": 2}),
    Q("es", "film estirable 23 micras", "spec", "stretch_film", {"mic": 23, "bubble": False}),
    Q("es", "botellas pet 500 ml", "spec", "bottle", {"ml": 500, "mat": "PET"}),
    Q("es", "juego de ollas acero inoxidable 304", "spec", "cookware_set", {"steel": 304}),
    Q("es", "sarten antiadherente 28 cm", "spec", "frying_pan", {"cm": 28, "nonstick": True}),
    Q("es", "termo de al menos 1 litro", "numeric_range", "vacuum_flask", {"ml": ("ge", 1000)}),
    Q("es", "camisetas de algodon 180 gramos", "spec", "tshirt", {"gsm": 180, "mat": "100% cotton", "polo": False}),
    Q("es", "guantes de nitrilo desechables", "spec", "disposable_gloves", {"mat": "Nitrile"}, rel=("work_gloves",)),
    Q("es", "cable usb c 2 metros 100w", "spec", "usb_cable", {"m": 2, "w": 100}),
    Q(
        "es",
        "pastillas de freno ceramicas delanteras",
        "spec",
        "brake_pads",
        {"mat": "Ceramic", "pos": "Front"},
        rel=("brake_disc",),
    ),
    Q("es", "silla de oficina ergonomica de malla", "spec", "office_chair", {"mesh": True}),
    Q("es", "maquina de soldar mig 200a", "spec", "welder", {"process": "MIG", "a": 200}),
    # ------------------------------------------------------------------ French
    Q("fr", "panneau solaire 400w demi-cellule", "spec", "solar_panel", {"w": 400, "half": True}),
    Q("fr", "module photovoltaïque bifacial 580 Wc", "spec,jargon", "solar_panel", {"w": 580, "bifacial": True}),
    Q("fr", "lampadaire solaire -40°C", "numeric_range", "solar_street_light", {"tmin": ("tmin", -40)}),
    Q("fr", "batterie lithium 48V 100Ah rack", "spec", "lifepo4_battery", {"v": 48, "ah": 100, "rack": True}),
    Q(
        "fr",
        "onduleur hybride 10 kW triphasé",
        "spec",
        "hybrid_inverter",
        {"kw": 10, "three": True},
        rel=("grid_tie_inverter",),
    ),
    Q("fr", "batterie externe 20000mAh", "synonym,spec", "power_bank", {"mah": 20000}),
    Q("fr", "station électrique portable 1000 W", "synonym,spec", "portable_power_station", {"w": 1000}),
    Q("fr", "perceuse visseuse sans fill 12V", "typo,spec", "cordless_drill", {"v": 12}),
    Q(
        "fr",
        "visseuse à chocs sans balais 18V",
        "spec",
        "impact_driver",
        {"kind": "driver", "v": 18, "brushless": True},
    ),
    Q("fr", "perforateur SDS-max", "spec", "rotary_hammer", {"sds": "SDS-max"}),
    Q("fr", "meuleuse d'angle 230 mm", "spec", "angle_grinder", {"mm": 230}),
    Q("fr", "lame de scie circulaire 254 mm", "spec", "saw_blade", {"mm": 254}, rel=("circular_saw",)),
    Q("fr", "scie sauteuse pendulaire", "spec", "jigsaw", j={"Jigsaw Blades": 1}),
    Q("fr", "cloche LED 100W entrepôt", "jargon,spec", "high_bay", {"w": 100}),
    Q("fr", "projecteur LED 200W", "spec", "flood_light", {"w": 200}),
    Q("fr", "dalle LED 600x600", "synonym,spec", "panel_light", {"size": "600x600"}),
    Q("fr", "ampoule LED E14 flamme", "spec", "led_bulb", {"base": "E14"}),
    Q("fr", "pompe immergée forage 3 pouces", "spec", "borehole_pump", {"well_in": 3}),
    Q("fr", "vanne à boisseau sphérique inox 304 2 pouces", "spec", "ball_valve", {"steel": 304, "inch": 2}),
    Q("fr", "manomètre glycérine 100 mm", "spec", "pressure_gauge", {"mm": 100}),
    Q("fr", "boîtes d'expédition en carton kraft", "synonym", "mailer_box", {"kraft": True}),
    Q("fr", "pochettes d'expédition plastique 10x13", "synonym,spec", "poly_mailer", {"size": "10x13"}),
    Q("fr", "bocal en verre 250 ml", "spec", "bottle", {"ml": 250, "mat": "Glass"}),
    Q("fr", "bouilloire électrique inox 1,7 L", "spec", "kettle", {"l": 1.7, "steel": 304}),
    Q("fr", "friteuse sans huile 5 litres", "synonym,spec", "air_fryer", {"l": 5}),
    Q("fr", "serviette de bain coton 600 g/m²", "spec", "towel", {"gsm": 600, "cotton": True}),
    Q("fr", "chaussures de sécurité S3 embout acier", "spec", "safety_shoes", {"std": "S3"}),
    Q("fr", "masque FFP2", "spec", "face_mask", {"fil": "FFP2"}, j=RESP),
    Q("fr", "boulon hexagonal inox A2 M8", "jargon,spec", "hex_bolt", {"m": "M8", "steel": 304}),
    Q("fr", "compresseur à vis 22 kW", "spec", "air_compressor", {"kw": 22, "screw": True}),
    Q("fr", "bouteille isotherme au moins 1 litre", "numeric_range", "vacuum_flask", {"ml": ("ge", 1000)}),
    # ------------------------------------------------------------------ German
    Q("de", "Solarmodul 450W Halbzellen", "spec", "solar_panel", {"w": 450, "half": True}),
    Q("de", "Photovoltaikmodul bifazial 550 Watt", "spec", "solar_panel", {"w": 550, "bifacial": True}),
    Q("de", "Solarstraßenlaterne 300W", "spec", "solar_street_light", {"w": 300}),
    Q("de", "Lithiumbatterie 12V 200Ah", "spec", "lifepo4_battery", {"v": 12, "ah": 200}),
    Q("de", "Hybridwechselrichter 5kW", "spec", "hybrid_inverter", {"kw": 5}),
    Q("de", "Wechselrichter netzgekoppelt 20 kW dreiphasig", "spec", "grid_tie_inverter", {"kw": 20, "three": True}),
    Q("de", "Laderegler MPPT 60A", "jargon,spec", "charge_controller", {"kind": "MPPT", "a": 60}),
    Q("de", "Powerbank mindestens 20000mAh", "numeric_range", "power_bank", {"mah": ("ge", 20000)}),
    Q(
        "de",
        "Akkuschraber bürstenlos 20V",
        "typo,spec",
        "cordless_drill",
        {"v": 20, "brushless": True},
        rel=("impact_driver",),
    ),
    Q("de", "Schlagbohrmaschiene 850W", "typo,spec", "corded_drill", {"w": 850}),
    Q("de", "Bohrhammer SDS-plus 800 Watt", "spec", "rotary_hammer", {"sds": "SDS-plus", "w": 800}),
    Q("de", "Betonbohrer SDS Plus Satz", "spec", "drill_bit", {"sds": "plus"}),
    Q("de", "Winkelschleifer 125mm 1200W", "spec", "angle_grinder", {"mm": 125, "w": 1200}),
    Q("de", "Trennscheiben 115 mm Edelstahl", "spec", "cutting_disc", {"mm": 115, **NO_DISC}),
    Q("de", "Kreissägeblatt 185mm 40 Zähne", "spec", "saw_blade", {"mm": 185, "teeth": 40}, rel=("circular_saw",)),
    Q("de", "Akku Säbelsäge", "spec", "reciprocating_saw", {"cordless": True}),
    Q("de", "Heißluftpistole 2000 Watt", "spec", "heat_gun", {"w": 2000}),
    Q("de", "LED Hallenstrahler 150W", "jargon,spec", "high_bay", {"w": 150}),
    Q("de", "LED Fluter 100W IP66", "synonym,spec", "flood_light", {"w": 100, "ipn": ("ip", 66)}),
    Q("de", "Feuchtraumleuchte IP65 120cm", "jargon", "tri_proof_light", {"len": 4}),
    Q("de", "Tiefbrunnenpumpe 4 Zoll", "spec", "borehole_pump", {"well_in": 4}),
    Q("de", "Schmutzwasserpumpe mit Schwimmerschalter", "spec", "sewage_pump", j={"Drainage": 3, "Cutter": 2}),
    Q("de", "Kugelhahn Messing 1 Zoll", "spec", "ball_valve", {"inch": 1, "mat": "Brass"}),
    Q("de", "Versandkartons Kraftpapier", "synonym", "mailer_box", {"kraft": True}),
    Q("de", "Stretchfolie 23my", "jargon,spec", "stretch_film", {"mic": 23, "bubble": False}),
    Q("de", "Edelstahl Kochtopfset 304", "spec", "cookware_set", {"steel": 304}),
    Q("de", "Thermoskanne 1 Liter", "spec", "vacuum_flask", {"ml": 1000}),
    Q("de", "Wasserkocher 1,7 l Edelstahl", "spec", "kettle", {"l": 1.7, "steel": 304}),
    Q("de", "Arbeitshandschuhe Nitril", "spec", "work_gloves", {"coat": "Nitrile"}, rel=("disposable_gloves",)),
    Q("de", "Edelstahlblech 316L 3mm", "spec", "steel_sheet", {"steel": 316, "th": 3}),
    Q("de", "Schraubenkompressor 7,5 kW", "spec", "air_compressor", {"kw": 7.5, "screw": True}),
    Q("de", "Sechskantschrauben M10 A4", "jargon,spec", "hex_bolt", {"m": "M10", "steel": 316}),
    # ------------------------------------------------------------------ Portuguese
    Q("pt", "painel solar 550w bifacial", "spec", "solar_panel", {"w": 550, "bifacial": True}),
    Q("pt", "placa solar 400 watts meia celula", "synonym,spec", "solar_panel", {"w": 400, "half": True}),
    Q(
        "pt",
        "poste solar 200w -40 graus",
        "spec,numeric_range",
        "solar_street_light",
        {"w": 200, "tmin": ("tmin", -40)},
    ),
    Q("pt", "bateria de litio 24v 200ah", "spec", "lifepo4_battery", {"v": 24, "ah": 200}),
    Q("pt", "inversor off grid 3kw 24v", "spec", "hybrid_inverter", {"kw": 3, "v": 24}),
    Q("pt", "controlador de carga pwm 30a", "spec", "charge_controller", {"kind": "PWM", "a": 30}),
    Q("pt", "carregador portátil 20000mah", "synonym,spec", "power_bank", {"mah": 20000}),
    Q("pt", "gerador a diesel silencioso", "spec", "generator", {"fuel": "Diesel"}),
    Q("pt", "furadera sem fio 12v", "typo,spec", "cordless_drill", {"v": 12}),
    Q("pt", "parafusadeira de impacto 18v", "spec", "impact_driver", {"kind": "driver", "v": 18}),
    Q("pt", "martelete rompedor sds max", "jargon", "rotary_hammer", {"sds": "SDS-max"}),
    Q("pt", "esmerilhadeira angular 115mm", "spec", "angle_grinder", {"mm": 115}),
    Q("pt", "disco de corte inox 115", "spec", "cutting_disc", {"mm": 115, **NO_DISC}),
    Q("pt", "serra circular 185mm", "spec", "circular_saw", {"mm": 185, "table": False}, rel=("saw_blade",)),
    Q("pt", "luminária high bay 200w", "jargon,spec", "high_bay", {"w": 200}),
    Q("pt", "refletor led 50w ip65", "synonym,spec", "flood_light", {"w": 50, "ipn": ("ip", 65)}),
    Q("pt", "lâmpada led e27 9w", "spec", "led_bulb", {"base": "E27", "w": 9}),
    Q("pt", "fita de led 24v à prova d'água", "spec", "led_strip", {"v": 24, "ipn": ("ip", 65)}),
    Q("pt", "bomba submersa poço artesiano 1,5cv", "jargon,spec", "borehole_pump", {"hp": 1.5, "solar": False}),
    Q("pt", "bomba solar para poço", "spec", "borehole_pump", {"solar": True}),
    Q("pt", "registro de esfera latão 3/4", "synonym,spec", "ball_valve", {"inch": 0.75, "mat": "Brass"}),
    Q("pt", "caixa de papelão para envio", "synonym", "mailer_box", {"rigid": False}, j={"Rigid Gift Box": 1}),
    Q(
        "pt",
        "envelope de segurança plástico",
        "synonym",
        "poly_mailer",
        j={"Poly Mailer": 3, "Compostable": 2, "Bubble Mailer": 1},
    ),
    Q("pt", "garrafa pet 1 litro", "spec", "bottle", {"ml": 1000, "mat": "PET"}),
    Q("pt", "garrafa térmica inox 500ml", "synonym,spec", "vacuum_flask", {"ml": 500}),
    Q("pt", "fritadeira elétrica sem óleo acima de 5 litros", "numeric_range", "air_fryer", {"l": ("ge", 5)}),
    Q("pt", "camiseta algodão 180g", "spec", "tshirt", {"gsm": 180, "mat": "100% cotton", "polo": False}),
    Q("pt", "luva nitrílica descartável", "spec", "disposable_gloves", {"mat": "Nitrile"}, rel=("work_gloves",)),
    Q("pt", "pastilha de freio cerâmica", "spec", "brake_pads", {"mat": "Ceramic"}, rel=("brake_disc",)),
    Q("pt", "bateria automotiva 60ah", "spec", "car_battery", {"ah": 60, "moto": False}),
    Q(
        "pt",
        "cadeira de escritório ergonômica",
        "spec",
        "office_chair",
        j={"Ergonomic Mesh": 3, "Executive": 2, "Gaming Chair": 2, "Stackable": 1},
    ),
    # ------------------------------------------------------------------ Russian
    Q("ru", "солнечная панель 450 Вт монокристалл", "spec", "solar_panel", {"w": 450, "tech": "mono"}),
    Q("ru", "солнечные панели 300 ватт поликристаллические", "spec", "solar_panel", {"w": 300, "tech": "poly"}),
    Q(
        "ru",
        "уличный фонарь на солнечной батарее до -40",
        "numeric_range",
        "solar_street_light",
        {"tmin": ("tmin", -40)},
        rel=("solar_garden_light",),
    ),
    Q("ru", "аккумулятор LiFePO4 48В 100Ач", "spec", "lifepo4_battery", {"v": 48, "ah": 100}),
    Q("ru", "гибридный инвертор 5 кВт", "spec", "hybrid_inverter", {"kw": 5}),
    Q("ru", "контроллер заряда MPPT 60А", "jargon,spec", "charge_controller", {"kind": "MPPT", "a": 60}),
    Q("ru", "повербанк 20000 мАч", "synonym,spec", "power_bank", {"mah": 20000}),
    Q("ru", "портативная электростанция от 2000 Вт", "numeric_range", "portable_power_station", {"w": ("ge", 2000)}),
    Q("ru", "дизельный генератор 10 кВА", "spec", "generator", {"fuel": "Diesel"}),
    Q(
        "ru",
        "шуроповерт аккумуляторный бесщеточный",
        "typo,synonym",
        "cordless_drill",
        {"brushless": True},
        rel=("impact_driver",),
    ),
    Q("ru", "перфоратор SDS-plus 800 Вт", "spec", "rotary_hammer", {"sds": "SDS-plus", "w": 800}),
    Q("ru", "болгарка 125 мм", "synonym,spec", "angle_grinder", {"mm": 125}, rel=("cutting_disc",)),
    Q("ru", "отрезные круги 115 по нержавейке", "spec", "cutting_disc", {"mm": 115, **NO_DISC}),
    Q("ru", "пильный диск 254 мм", "spec", "saw_blade", {"mm": 254}),
    Q("ru", "циркулярная пила 185", "spec", "circular_saw", {"mm": 185, "table": False}, rel=("saw_blade",)),
    Q("ru", "светодиодный прожектор 200 Вт", "spec", "flood_light", {"w": 200}),
    Q("ru", "промышленный светильник хайбей 150 Вт", "jargon,spec", "high_bay", {"w": 150}),
    Q("ru", "светодиодная лента 12В", "spec", "led_strip", {"v": 12}),
    Q("ru", "скважинный насос 4 дюйма", "spec", "borehole_pump", {"well_in": 4}),
    Q("ru", "дренажный насос для грязной воды", "spec", "sewage_pump", j={"Drainage": 3, "Cutter": 2}),
    Q("ru", "шаровой кран латунный 1/2", "spec", "ball_valve", {"inch": 0.5, "mat": "Brass"}),
    Q("ru", "задвижка DN50", "spec", "gate_valve", {"dn": 50, "butterfly": False, "check": False}),
    Q("ru", "стрейч пленка 500 мм", "spec", "stretch_film", {"mm": 500, "bubble": False}),
    Q("ru", "термос 1 литр нержавейка", "spec", "vacuum_flask", {"ml": 1000}),
    Q("ru", "электрический чайник 1.7 л", "spec", "kettle", {"l": 1.7}),
    Q("ru", "нитриловые перчатки одноразовые", "spec", "disposable_gloves", {"mat": "Nitrile"}, rel=("work_gloves",)),
    Q("ru", "лист нержавеющий AISI 304", "spec", "steel_sheet", {"steel": 304}),
    Q("ru", "болты шестигранные М8 нержавейка 304", "spec", "hex_bolt", {"m": "M8", "steel": 304}),
    Q("ru", "винтовой компрессор 7,5 кВт", "spec", "air_compressor", {"kw": 7.5, "screw": True}),
    Q("ru", "вилочный погрузчик дизельный 3 тонны", "spec", "forklift", {"ton": 3, "fuel": "Diesel"}),
    Q("ru", "сварочный полуавтомат 200А", "jargon,spec", "welder", {"process": "MIG", "a": 200}),
    # ------------------------------------------------------------------ Arabic
    Q("ar", "لوح طاقة شمسية 550 واط", "spec", "solar_panel", {"w": 550}),
    Q("ar", "ألواح شمسية أحادية 450 وات", "spec", "solar_panel", {"w": 450, "tech": "mono"}),
    Q("ar", "كشاف شمسي 100 واط", "spec", "solar_flood_light", {"w": 100}, rel=("flood_light", "solar_street_light")),
    Q("ar", "إنارة شوارع بالطاقة الشمسية", "synonym", "solar_street_light", rel=("solar_flood_light",)),
    Q(
        "ar",
        "بطاريه ليثيوم 12 فولت 100 أمبير",
        "typo,spec",
        "lifepo4_battery",
        {"v": 12, "ah": 100},
        rel=("lead_acid_battery",),
    ),
    Q("ar", "انفرتر هجين 5 كيلو واط 48 فولت", "spec", "hybrid_inverter", {"kw": 5, "v": 48}),
    Q("ar", "منظم شحن MPPT للطاقة الشمسية", "jargon", "charge_controller", {"kind": "MPPT"}),
    Q("ar", "باور بانك 10000 مللي أمبير", "synonym,spec", "power_bank", {"mah": 10000}),
    Q("ar", "مولد كهرباء ديزل أكثر من 5 كيلو واط", "numeric_range", "generator", {"fuel": "Diesel", "kw": ("ge", 5)}),
    Q("ar", "دريل شحن 20 فولت", "synonym,spec", "cordless_drill", {"v": 20}),
    Q("ar", "هيلتي تكسير", "jargon", "rotary_hammer", {"breaker": True}),
    Q("ar", "صاروخ تجليخ 115 ملم", "jargon,spec", "angle_grinder", {"mm": 115}),
    Q("ar", "اسطوانة قطع 115 للستانلس", "jargon,spec", "cutting_disc", {"mm": 115, **NO_DISC}),
    Q("ar", "منشار دائري كهربائي", "spec", "circular_saw", {"table": False}, rel=("saw_blade",)),
    Q("ar", "كشاف ليد 200 واط", "spec", "flood_light", {"w": 200}),
    Q("ar", "إضاءة مستودعات هاي باي 150 واط", "jargon,spec", "high_bay", {"w": 150}),
    Q("ar", "مضخة أعماق 4 بوصة", "spec", "borehole_pump", {"well_in": 4}),
    Q("ar", "مضخة مياه تعمل بالطاقة الشمسية", "spec", "borehole_pump", {"solar": True}),
    Q("ar", "محبس كروي نحاس 1 بوصة", "spec", "ball_valve", {"inch": 1, "mat": "Brass"}),
    Q("ar", "صناديق كرتون للشحن", "synonym", "mailer_box", {"rigid": False}, j={"Rigid Gift Box": 1}),
    Q("ar", "أكياس ورقية كرافت بمقبض", "spec", "paper_bag", j={"Twisted Handle": 3, "Flat Bottom": 2}),
    Q("ar", "زجاجات بلاستيك 500 مل", "spec", "bottle", {"ml": 500, "mat": "PET"}),
    Q("ar", "ترمس ستانلس ستيل 1 لتر", "spec", "vacuum_flask", {"ml": 1000}),
    Q("ar", "غلاية كهربائية 1.7 لتر", "spec", "kettle", {"l": 1.7}),
    Q("ar", "قلاية هوائية 8 لتر", "spec", "air_fryer", {"l": 8}),
    Q(
        "ar",
        "قفازات نتريل طبية",
        "spec",
        "disposable_gloves",
        {"mat": "Nitrile", "medical": True},
        rel=("work_gloves",),
    ),
    Q("ar", "أحذية سلامة مقدمة حديد", "spec", "safety_shoes", {"toe": "Steel"}),
    Q("ar", "كمامات N95", "spec", "face_mask", {"fil": "N95"}, j={"KN95": 2, "FFP2 Respirator": 2}),
    Q("ar", "مسامير سداسية ستانلس 316", "spec", "hex_bolt", {"steel": 316}),
    Q(
        "ar",
        "كرسي مكتب طبي",
        "jargon",
        "office_chair",
        j={"Ergonomic Mesh": 3, "Executive": 2, "Gaming Chair": 2, "Stackable": 1},
    ),
    Q("ar", "ماكينة لحام ارجون", "jargon", "welder", {"process": "TIG"}),
    # ------------------------------------------------------------------ Japanese
    Q("ja", "ソーラーパネル 400W 単結晶", "spec", "solar_panel", {"w": 400, "tech": "mono"}),
    Q("ja", "両面発電 太陽光パネル 550W", "spec", "solar_panel", {"w": 550, "bifacial": True}),
    Q("ja", "フレキシブルソーラーパネル", "spec", "solar_panel", {"flexible": True}),
    Q("ja", "ソーラー街路灯 300W", "spec", "solar_street_light", {"w": 300}),
    Q("ja", "リン酸鉄リチウムバッテリー 12V 100Ah", "spec", "lifepo4_battery", {"v": 12, "ah": 100}),
    Q("ja", "ハイブリッドインバータ 5kW", "spec", "hybrid_inverter", {"kw": 5}),
    Q("ja", "MPPT チャージコントローラー", "jargon", "charge_controller", {"kind": "MPPT"}),
    Q("ja", "モバイルバッテリー 10000mAh", "synonym,spec", "power_bank", {"mah": 10000}),
    Q("ja", "ポータブル電源 1000W", "synonym,spec", "portable_power_station", {"w": 1000}),
    Q("ja", "充電式ドリルドライバー 12V", "spec", "cordless_drill", {"v": 12}),
    Q(
        "ja",
        "インパクトドライバー 18V ブラシレス",
        "spec",
        "impact_driver",
        {"kind": "driver", "v": 18, "brushless": True},
    ),
    Q("ja", "ハンマードリル SDSプラス", "spec", "rotary_hammer", {"sds": "SDS-plus"}, rel=("drill_bit",)),
    Q("ja", "ディスクグラインダー 125mm", "synonym,spec", "angle_grinder", {"mm": 125}),
    Q("ja", "チップソー 185mm", "jargon,spec", "saw_blade", {"mm": 185}, rel=("circular_saw",)),
    Q("ja", "充電式丸ノコ 165mm", "spec", "circular_saw", {"mm": 165, "cordless": True}),
    Q("ja", "ヒートガン 2000W", "spec", "heat_gun", {"w": 2000}),
    Q("ja", "LED投光器 100W IP66", "spec", "flood_light", {"w": 100, "ipn": ("ip", 66)}),
    Q("ja", "-30℃対応 LED投光器", "numeric_range", "flood_light", {"tmin": ("tmin", -30)}, rel=("solar_flood_light",)),
    Q("ja", "高天井照明 150W", "jargon,spec", "high_bay", {"w": 150}),
    Q("ja", "直管LED 120cm", "jargon,spec", "led_tube", {"len": 1200}),
    Q("ja", "深井戸ポンプ 4インチ", "spec", "borehole_pump", {"well_in": 4}),
    Q(
        "ja",
        "ボールバルブ ステンレス 2インチ",
        "spec",
        "ball_valve",
        {"inch": 2},
        j={"Stainless Steel 304 Ball Valve 2": 3, "PVC Ball Valve": 1, "316 Stainless Ball Valve": 2},
    ),
    Q("ja", "段ボール箱 通販用", "synonym", "mailer_box", {"rigid": False}, j={"Rigid Gift Box": 1}),
    Q("ja", "ストレッチフィルム 500mm", "spec", "stretch_film", {"mm": 500, "bubble": False}),
    Q("ja", "ガラス瓶 250ml", "spec", "bottle", {"ml": 250, "mat": "Glass"}),
    Q("ja", "真空断熱ボトル 500ml", "spec", "vacuum_flask", {"ml": 500}),
    Q("ja", "電気ケトル 1.0L", "spec", "kettle", {"l": 1.0}),
    Q("ja", "ニトリル手袋 使い捨て", "spec", "disposable_gloves", {"mat": "Nitrile"}, rel=("work_gloves",)),
    Q("ja", "安全靴 S3", "spec", "safety_shoes", {"std": "S3"}),
    Q("ja", "ステンレス板 SUS304", "jargon,spec", "steel_sheet", {"steel": 304}),
    Q("ja", "六角ボルト M10 SUS316", "jargon,spec", "hex_bolt", {"m": "M10", "steel": 316}),
    Q("ja", "スクリューコンプレッサー 22kW", "spec", "air_compressor", {"kw": 22, "screw": True}),
    Q("ja", "電動フォークリフト", "spec", "forklift", {"fuel": "Electric"}),
    # ------------------------------------------------------------------ more typos, every language
    Q("en", "solar pannel 400 wat", "typo,spec", "solar_panel", {"w": 400}),
    Q("en", "stainles steel vacum flask 1l", "typo,spec", "vacuum_flask", {"ml": 1000}),
    Q("en", "angel grinder 230mm", "typo,spec", "angle_grinder", {"mm": 230}, rel=("cutting_disc",)),
    Q("zh-hans", "光伏版 550W 双面", "typo,spec", "solar_panel", {"w": 550, "bifacial": True}),
    Q(
        "es",
        "inversor hibrdo 10kw trifasico",
        "typo,spec",
        "hybrid_inverter",
        {"kw": 10, "three": True},
        rel=("grid_tie_inverter",),
    ),
    Q("fr", "meuleuse d'angle 125mm 1200w sans fill", "typo,spec", "angle_grinder", {"mm": 125, "cordless": True}),
    Q("de", "Wechselrichter Hybird 48V", "typo,spec", "hybrid_inverter", {"v": 48}),
    Q("pt", "paineu solar 300w policristalino", "typo,spec", "solar_panel", {"w": 300, "tech": "poly"}),
    Q("ru", "светодиодный прожэктор 50 Вт", "typo,spec", "flood_light", {"w": 50}),
    Q("ar", "مضخه غاطسه 4 بوصه", "typo,spec", "borehole_pump", {"well_in": 4}),
    Q("ja", "インパクトドラバー 18V", "typo,spec", "impact_driver", {"kind": "driver", "v": 18}),
]


def main():
    products = build_catalog()
    with open(HERE / "catalog.jsonl", "w", encoding="utf-8") as f:
        for row, _, _ in products:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts = {}
    with open(HERE / "queries.jsonl", "w", encoding="utf-8") as f:
        for n, q in enumerate(QUERIES, 1):
            judgments = judge(products, q)
            assert any(g >= 2 for g in judgments.values()), q["query"]
            kinds = list(q["kinds"])
            if q["lang"] != "en":
                kinds.append("cross_lingual")
            row = {
                "id": f"q{n:03d}",
                "language": q["lang"],
                "query": q["query"],
                "kinds": kinds,
                "judgments": judgments,
            }
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            counts[q["lang"]] = counts.get(q["lang"], 0) + 1
    print(f"{len(products)} products, {len(QUERIES)} queries: {counts}")


if __name__ == "__main__":
    main()
