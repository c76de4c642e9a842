# ruff: noqa: E501  (data: one listing or one query a line)
"""The foreign catalog as data: product families with their variants (near-duplicate distractors on purpose).
build_set.py turns it into catalog.jsonl; the structured `spec` of each product is what the judgments are graded
against (it is not imported: the listing carries only its title, description, category and attributes)."""

# Each family: type key, category path (the other platform's names), unit, moq, base price, title template,
# description template, attributes [(name, spec key, unit)], variants (spec dicts; "t" overrides the title,
# "d" is appended to the description). Templates are filled from the variant's spec.

F = []


def fam(type_, category, unit, moq, price, title, desc, attrs, variants):
    F.append(
        {
            "type": type_,
            "category": category,
            "unit": unit,
            "moq": moq,
            "price": price,
            "title": title,
            "desc": desc,
            "attrs": attrs,
            "variants": variants,
        }
    )


# ---------------------------------------------------------------- solar / energy
fam(
    "solar_panel",
    "Energy > Photovoltaics > Solar Modules",
    "pieces",
    30,
    62,
    "{cellt} Solar Panel {w}W {extra}",
    "Photovoltaic module with {cells} cells, {cellt2} technology. Efficiency {eff}%. Max power {w} Wp, "
    "tempered glass, anodized aluminium frame, IP68 junction box, MC4 compatible leads. 25 year linear warranty.",
    [("Max Power", "w", "W"), ("Cell Type", "cellt2", ""), ("Efficiency", "eff", "%")],
    [
        {
            "w": 400,
            "cellt": "Mono PERC",
            "cellt2": "monocrystalline PERC",
            "cells": "108 half-cut",
            "half": True,
            "eff": 20.5,
            "extra": "Half Cut Black Frame",
            "tech": "mono",
        },
        {
            "w": 450,
            "cellt": "Monocrystalline",
            "cellt2": "monocrystalline PERC",
            "cells": "144 half-cut",
            "half": True,
            "eff": 20.8,
            "extra": "Half Cell Module",
            "tech": "mono",
        },
        {
            "w": 550,
            "cellt": "Bifacial Mono",
            "cellt2": "bifacial monocrystalline",
            "cells": "144 half-cut",
            "half": True,
            "eff": 21.3,
            "extra": "Double Glass",
            "bifacial": True,
            "tech": "mono",
        },
        {
            "w": 300,
            "cellt": "Polycrystalline",
            "cellt2": "polycrystalline",
            "cells": "72 full",
            "half": False,
            "eff": 17.2,
            "extra": "",
            "tech": "poly",
        },
        {
            "w": 100,
            "cellt": "Flexible Mono",
            "cellt2": "monocrystalline",
            "cells": "32 full",
            "half": False,
            "eff": 19.0,
            "extra": "for RV Boat Roof",
            "flexible": True,
            "tech": "mono",
            "d": " Bendable up to 30 degrees, ETFE surface, no frame, 2 kg.",
        },
        {
            "w": 580,
            "cellt": "N-type TOPCon",
            "cellt2": "N-type TOPCon",
            "cells": "144 half-cut",
            "half": True,
            "eff": 22.4,
            "extra": "Bifacial",
            "bifacial": True,
            "tech": "mono",
            "t": "TOPCon N type PV module 580w bifacial 144 half cells",
        },
    ],
)
fam(
    "solar_street_light",
    "Lighting > Outdoor > Solar Street Lights",
    "pieces",
    20,
    45,
    "All in One Solar Street Light {w}W {ip} with Motion Sensor",
    "Integrated solar LED street lamp with built-in LiFePO4 battery and mono panel, PIR radar sensor, remote "
    "control, dusk to dawn. Working temperature {tmin}~{tmax}°C. Die-cast aluminium housing.",
    [("Power", "w", "W"), ("Ingress Protection", "ip", ""), ("Operating Temperature", "trange", "°C")],
    [
        {"w": 100, "ip": "IP65", "ipn": 65, "tmin": -20, "tmax": 60, "trange": "-20 to 60"},
        {
            "w": 200,
            "ip": "IP66",
            "ipn": 66,
            "tmin": -40,
            "tmax": 70,
            "trange": "-40 to 70",
            "d": " Cold climate version with low-temperature battery heating, tested for northern winters.",
        },
        {
            "w": 300,
            "ip": "IP65",
            "ipn": 65,
            "tmin": -20,
            "tmax": 60,
            "trange": "-20 to 60",
            "t": "300w solar street lamp all-in-one road light",
        },
    ],
)
fam(
    "solar_garden_light",
    "Lighting > Outdoor > Garden & Lawn",
    "pieces",
    100,
    3.2,
    "Solar Garden Light {extra} {ip}",
    "Small solar powered lawn and pathway light, {lm} lumen warm white LED, auto on at night, Ni-MH battery. "
    "Working temperature {tmin}~{tmax}°C. Stake mounted.",
    [("Ingress Protection", "ip", ""), ("Luminous Flux", "lm", "lm")],
    [
        {"ip": "IP44", "ipn": 44, "lm": 20, "tmin": -10, "tmax": 50, "extra": "Pathway Stake Lamp"},
        {"ip": "IP65", "ipn": 65, "lm": 80, "tmin": -20, "tmax": 60, "extra": "Wall Mount Fence Light PIR"},
    ],
)
fam(
    "lifepo4_battery",
    "Energy > Batteries > Lithium Packs",
    "pieces",
    5,
    180,
    "LiFePO4 Battery {v}V {ah}Ah {extra}",
    "Lithium iron phosphate battery pack {v}V {ah}Ah ({kwh} kWh), built-in BMS, 6000 cycles at 80% DOD. "
    "Grade A cells. {use}",
    [("Nominal Voltage", "v", "V"), ("Capacity", "ah", "Ah"), ("Energy", "kwh", "kWh")],
    [
        {
            "v": 12,
            "ah": 100,
            "kwh": 1.28,
            "extra": "Deep Cycle for RV Marine",
            "use": "Drop-in replacement for lead acid in RVs, boats, trolling motors.",
        },
        {"v": 12, "ah": 200, "kwh": 2.56, "extra": "Bluetooth BMS", "use": "For off-grid solar and camper vans."},
        {"v": 24, "ah": 200, "kwh": 5.12, "extra": "Solar Storage", "use": "For 24 V off-grid inverters."},
        {
            "v": 48,
            "ah": 100,
            "kwh": 5.12,
            "extra": "Server Rack 3U",
            "rack": True,
            "use": "19-inch rack mount home energy storage, CAN/RS485 communication with hybrid inverters, parallel up to 16.",
        },
        {
            "v": 48,
            "ah": 200,
            "kwh": 10.24,
            "extra": "Wall Mounted Powerwall",
            "use": "Wall-mounted home ESS battery, LCD display, parallel up to 8.",
        },
    ],
)
fam(
    "lead_acid_battery",
    "Energy > Batteries > Lead Acid",
    "pieces",
    20,
    60,
    "Sealed Lead Acid AGM Battery {v}V {ah}Ah",
    "Valve regulated VRLA AGM battery {v}V {ah}Ah for UPS, solar and alarm systems, maintenance free, 500 cycles.",
    [("Voltage", "v", "V"), ("Capacity", "ah", "Ah")],
    [{"v": 12, "ah": 100}, {"v": 12, "ah": 7, "t": "12V 7Ah SLA battery for UPS alarm"}],
)
fam(
    "hybrid_inverter",
    "Energy > Inverters > Hybrid",
    "pieces",
    2,
    420,
    "Hybrid Solar Inverter {kw}kW {v}V {extra}",
    "Off-grid / hybrid inverter {kw} kW pure sine wave, {phase}, battery {v} V DC, built-in MPPT solar charge "
    "controller {mppt} A, PV input up to {pv} V, WiFi monitoring, works with lithium and lead acid.",
    [("Rated Power", "kw", "kW"), ("Battery Voltage", "v", "V"), ("MPPT Current", "mppt", "A")],
    [
        {"kw": 3, "v": 24, "mppt": 80, "pv": 450, "phase": "single phase 230 V", "extra": "Pure Sine Wave Off Grid"},
        {"kw": 5, "v": 48, "mppt": 100, "pv": 500, "phase": "single phase 230 V", "extra": "MPPT WiFi"},
        {
            "kw": 10,
            "v": 48,
            "mppt": 2 * 100,
            "pv": 800,
            "phase": "three phase 400 V",
            "three": True,
            "extra": "Three Phase Dual MPPT",
        },
    ],
)
fam(
    "grid_tie_inverter",
    "Energy > Inverters > On-Grid",
    "pieces",
    2,
    300,
    "On Grid String Inverter {kw}kW {extra}",
    "Grid-tied string inverter {kw} kW, {mp} MPPT trackers, max efficiency 98.4%, IP65, no battery, export limiting.",
    [("Rated Power", "kw", "kW"), ("Ingress Protection", "ip", "")],
    [
        {"kw": 5, "mp": 2, "extra": "Single Phase", "ip": "IP65"},
        {"kw": 20, "mp": 2, "extra": "Three Phase", "ip": "IP65", "three": True},
    ],
)
fam(
    "charge_controller",
    "Energy > Solar Accessories > Controllers",
    "pieces",
    10,
    25,
    "{kind} Solar Charge Controller {a}A 12V/24V {extra}",
    "{kind} regulator {a} A for 12 V / 24 V auto systems, LCD display, dual USB, for lead acid, gel and lithium.",
    [("Rated Current", "a", "A"), ("Type", "kind", "")],
    [
        {"kind": "MPPT", "a": 60, "extra": "Max PV 150V"},
        {"kind": "PWM", "a": 30, "extra": "LCD", "t": "30A PWM solar regulator 12v 24v LCD USB"},
        {"kind": "MPPT", "a": 40, "extra": "Bluetooth"},
    ],
)
fam(
    "ess_cabinet",
    "Energy > Storage Systems > Commercial",
    "units",
    1,
    18000,
    "Commercial Energy Storage Cabinet {kwh}kWh {extra}",
    "Outdoor all-in-one battery energy storage system: LFP cells, {kwh} kWh, PCS {kw} kW, EMS, liquid cooling, "
    "fire suppression, IP55. For peak shaving, C&I and microgrids.",
    [("Capacity", "kwh", "kWh"), ("PCS Power", "kw", "kW")],
    [
        {"kwh": 215, "kw": 100, "extra": "Liquid Cooled"},
        {"kwh": 100, "kw": 50, "extra": "Air Cooled", "t": "100kwh C&I battery storage cabinet outdoor air-cooled"},
    ],
)
fam(
    "portable_power_station",
    "Energy > Portable Power > Power Stations",
    "pieces",
    5,
    220,
    "Portable Power Station {wh}Wh {w}W {extra}",
    "Rechargeable outdoor generator with LiFePO4 battery {wh} Wh, AC output {w} W pure sine wave, USB-C PD 100W, "
    "car port, solar input. For camping and home backup.",
    [("Battery Capacity", "wh", "Wh"), ("AC Output", "w", "W")],
    [
        {"wh": 1024, "w": 1000, "extra": "Camping"},
        {"wh": 2048, "w": 2200, "extra": "Home Backup"},
        {"wh": 288, "w": 300, "extra": "Mini"},
    ],
)
fam(
    "power_bank",
    "Consumer Electronics > Phone Accessories > Portable Chargers",
    "pieces",
    100,
    6,
    "{mah}mAh {extra}",
    "Portable battery charger {mah} mAh lithium polymer, {pd} output, LED level display, {ports}. Airline safe.",
    [("Battery Capacity", "mah", "mAh"), ("Max Output", "pdw", "W")],
    [
        {
            "mah": 10000,
            "pd": "22.5W fast charge",
            "pdw": 22.5,
            "ports": "USB-C in/out and USB-A",
            "extra": "Slim Power Bank 22.5W Fast Charging",
        },
        {
            "mah": 20000,
            "pd": "65W PD",
            "pdw": 65,
            "ports": "2 USB-C and 1 USB-A, charges laptops",
            "extra": "Power Bank 65W PD Laptop",
        },
        {
            "mah": 5000,
            "pd": "15W wireless",
            "pdw": 15,
            "ports": "magnetic wireless pad for iPhone",
            "extra": "Magnetic Wireless Power Bank",
            "wireless": True,
        },
        {
            "mah": 30000,
            "pd": "20W PD",
            "pdw": 20,
            "ports": "3 outputs with built-in cables",
            "extra": "High Capacity Battery Pack Built-in Cables",
        },
        {
            "mah": 10000,
            "pd": "10W",
            "pdw": 10,
            "ports": "2 USB-A",
            "extra": "",
            "t": "promotional gift powerbank 10000 mah custom logo",
        },
    ],
)
fam(
    "mc4_connector",
    "Energy > Solar Accessories > Cables & Connectors",
    "pairs",
    200,
    0.4,
    "MC4 Connector Male Female {extra}",
    "Solar PV connector pair for 2.5-6 mm² cable, 1500 V DC, 30 A, IP68. For solar panel wiring.",
    [("Rated Voltage", "v", "V"), ("Ingress Protection", "ip", "")],
    [{"v": 1500, "ip": "IP68", "extra": "IP68 1500V"}],
)
fam(
    "pv_cable",
    "Energy > Solar Accessories > Cables & Connectors",
    "rolls",
    10,
    55,
    "Solar PV Cable {mm2}mm² {color} 100m Roll",
    "Tinned copper DC cable for photovoltaic systems, XLPO insulation, 1500 V, TÜV H1Z2Z2-K. {mm2} mm², {color}.",
    [("Cross Section", "mm2", "mm²"), ("Length", "len", "m")],
    [{"mm2": 4, "color": "Red", "len": 100}, {"mm2": 6, "color": "Black", "len": 100}],
)
fam(
    "generator",
    "Machinery > Power Generation > Generator Sets",
    "units",
    1,
    350,
    "{fuel} Generator {kva} {extra}",
    "{fuel} generator set, rated output {kw} kW, {phase}, electric start, AVR. {enc}",
    [("Rated Power", "kw", "kW"), ("Fuel", "fuel", "")],
    [
        {
            "fuel": "Gasoline",
            "kw": 3,
            "kva": "3kW",
            "phase": "single phase 230 V",
            "extra": "Portable Open Frame",
            "enc": "Open frame, 15 L tank.",
        },
        {
            "fuel": "Diesel",
            "kw": 8,
            "kva": "10kVA",
            "phase": "single / three phase",
            "extra": "Silent Type",
            "enc": "Soundproof canopy, 65 dB at 7 m.",
        },
        {
            "fuel": "Gasoline",
            "kw": 2,
            "kva": "2kW",
            "phase": "single phase 230 V",
            "extra": "Inverter Generator Quiet",
            "enc": "Suitcase inverter generator, 4.3 L tank, 52 dB.",
        },
    ],
)

# ---------------------------------------------------------------- power tools
fam(
    "cordless_drill",
    "Tools > Power Tools > Drills & Drivers",
    "pieces",
    20,
    28,
    "{v}V Cordless Drill Driver {extra}",
    "Cordless drill/driver {v} V, {motor} motor, 13 mm keyless chuck, {nm} Nm max torque, 2 speeds, LED light. {kit}",
    [("Voltage", "v", "V"), ("Max Torque", "nm", "Nm"), ("Motor", "motor", "")],
    [
        {
            "v": 20,
            "motor": "brushless",
            "brushless": True,
            "nm": 60,
            "extra": "Brushless 2 Batteries",
            "kit": "Kit with 2 x 2.0 Ah batteries and charger.",
        },
        {
            "v": 12,
            "motor": "brushed",
            "brushless": False,
            "nm": 30,
            "extra": "Compact",
            "kit": "With 1.5 Ah battery and charger in a bag.",
        },
        {
            "v": 18,
            "motor": "brushed",
            "brushless": False,
            "nm": 45,
            "extra": "Combi Hammer Drill",
            "hammer": True,
            "kit": "Hammer function for masonry. Bare tool.",
        },
    ],
)
fam(
    "corded_drill",
    "Tools > Power Tools > Drills & Drivers",
    "pieces",
    20,
    14,
    "Electric Impact Drill {w}W {extra}",
    "Corded hammer drill {w} W, 13 mm chuck, variable speed, reverse, side handle and depth gauge.",
    [("Power", "w", "W")],
    [{"w": 850, "extra": "13mm"}, {"w": 600, "extra": "10mm Light Duty", "t": "600w electric drill 10mm corded"}],
)
fam(
    "drill_bit",
    "Tools > Accessories > Drill Bits",
    "sets",
    100,
    3,
    "{title}",
    "{desc}",
    [("Material", "mat", ""), ("Pieces", "pcs", "pcs")],
    [
        {
            "title": "HSS Twist Drill Bit Set 13pcs Titanium Coated for Metal",
            "desc": "13 piece high speed steel M2 twist drill bits 1.5-6.5 mm, titanium coating, in metal case. For steel, aluminium, wood.",
            "mat": "HSS",
            "pcs": 13,
            "for": "metal",
        },
        {
            "title": "SDS Plus Masonry Drill Bits 5pcs Concrete",
            "desc": "SDS-plus hammer drill bits 6/8/10/12/14 mm x 160 mm, carbide tip, 4 cutter. For concrete and brick with rotary hammers.",
            "mat": "Carbide",
            "pcs": 5,
            "sds": "plus",
            "for": "concrete",
        },
        {
            "title": "Cobalt Drill Bits for Stainless Steel 19 pcs",
            "desc": "HSS-Co M35 5% cobalt bits 1-10 mm for stainless steel and hard metals.",
            "mat": "HSS-Co",
            "pcs": 19,
            "for": "metal",
        },
        {
            "title": "Wood Spade Bits Set 6pcs",
            "desc": "Flat wood boring bits 12-25 mm, hex shank.",
            "mat": "Carbon steel",
            "pcs": 6,
            "for": "wood",
        },
    ],
)
fam(
    "impact_driver",
    "Tools > Power Tools > Impact Drivers & Wrenches",
    "pieces",
    20,
    35,
    "{title}",
    "{desc}",
    [("Voltage", "v", "V"), ("Max Torque", "nm", "Nm")],
    [
        {
            "title": "18V Brushless Impact Driver 1/4 Hex",
            "desc": "Cordless impact driver, brushless motor, 1/4 inch hex quick chuck, 180 Nm, 3 speed. Bare tool, fits 18 V battery platform.",
            "v": 18,
            "nm": 180,
            "brushless": True,
            "kind": "driver",
        },
        {
            "title": 'Cordless Impact Wrench 1/2" 20V 400Nm Brushless',
            "desc": "Brushless impact wrench with 1/2 inch square drive, 400 Nm, for lug nuts and auto repair. 4.0 Ah battery and charger.",
            "v": 20,
            "nm": 400,
            "brushless": True,
            "kind": "wrench",
        },
        {
            "title": "12V impact screwdriver compact",
            "desc": "Small cordless impact driver 12 V brushed motor, 100 Nm, 1/4 hex.",
            "v": 12,
            "nm": 100,
            "brushless": False,
            "kind": "driver",
        },
    ],
)
fam(
    "rotary_hammer",
    "Tools > Power Tools > Rotary Hammers",
    "pieces",
    10,
    40,
    "{title}",
    "{desc}",
    [("Power", "w", "W"), ("Impact Energy", "j", "J"), ("Chuck", "sds", "")],
    [
        {
            "title": "SDS Plus Rotary Hammer 26mm 800W 3 Function",
            "desc": "Rotary hammer drill 800 W, 2.8 J, SDS-plus chuck, drilling, hammer drilling and chiselling. Case included.",
            "w": 800,
            "j": 2.8,
            "sds": "SDS-plus",
        },
        {
            "title": "SDS Max Demolition Hammer 1500W",
            "desc": "Heavy duty breaker with SDS-max chuck 1500 W 25 J for demolition of concrete. Chisel only, no rotation.",
            "w": 1500,
            "j": 25,
            "sds": "SDS-max",
            "breaker": True,
        },
        {
            "title": "Cordless Rotary Hammer 20V SDS-plus Brushless",
            "desc": "Battery rotary hammer, brushless, 2.0 J, SDS plus, bare tool.",
            "w": None,
            "j": 2.0,
            "sds": "SDS-plus",
            "cordless": True,
        },
    ],
)
fam(
    "angle_grinder",
    "Tools > Power Tools > Grinders",
    "pieces",
    20,
    16,
    "Angle Grinder {mm}mm {w}W {extra}",
    "Electric angle grinder for disc diameter {mm} mm ({inch} inch), {w} W, no-load speed 11000 rpm, M14 spindle, side handle and guard.",
    [("Disc Diameter", "mm", "mm"), ("Power", "w", "W")],
    [
        {"mm": 115, "inch": "4-1/2", "w": 850, "extra": "Slide Switch"},
        {"mm": 125, "inch": "5", "w": 1200, "extra": "Variable Speed"},
        {"mm": 230, "inch": "9", "w": 2400, "extra": "Heavy Duty"},
        {
            "mm": 125,
            "inch": "5",
            "w": None,
            "extra": "Cordless Brushless 20V",
            "cordless": True,
            "t": "Cordless Angle Grinder 125mm Brushless 20V Bare Tool",
        },
    ],
)
fam(
    "cutting_disc",
    "Tools > Accessories > Abrasives",
    "pieces",
    1000,
    0.25,
    "{title}",
    "{desc}",
    [("Diameter", "mm", "mm"), ("Thickness", "th", "mm")],
    [
        {
            "title": "Cutting Disc 115x1.0mm for Stainless Steel Inox",
            "desc": "Thin resin bonded abrasive cut-off wheel 115 x 1.0 x 22.2 mm for angle grinders, metal and inox.",
            "mm": 115,
            "th": 1.0,
        },
        {
            "title": "125mm Flap Disc Zirconia 60 Grit",
            "desc": "Flap wheel for angle grinder 125 mm, grinding and finishing.",
            "mm": 125,
            "th": None,
            "flap": True,
        },
        {
            "title": "Diamond Saw Blade 230mm for Angle Grinder Concrete",
            "desc": "Segmented dry cutting diamond disc 230 mm for granite, concrete and brick, for 9 inch angle grinder.",
            "mm": 230,
            "th": None,
            "diamond": True,
        },
    ],
)
fam(
    "circular_saw",
    "Tools > Power Tools > Saws",
    "pieces",
    10,
    38,
    "{title}",
    "{desc}",
    [("Blade Diameter", "mm", "mm"), ("Power", "w", "W")],
    [
        {
            "title": "Circular Saw 185mm 1400W with Laser Guide",
            "desc": "Electric circular saw for wood, blade 185 mm 24T included, bevel 0-45°, cutting depth 63 mm.",
            "mm": 185,
            "w": 1400,
        },
        {
            "title": "Cordless Circular Saw 165mm 20V Brushless",
            "desc": "Battery circular saw 165 mm blade, bare tool.",
            "mm": 165,
            "w": None,
            "cordless": True,
        },
        {
            "title": "Table Saw 254mm 1800W with Stand",
            "desc": "Bench table saw 10 inch blade, 1800 W, rip fence and folding legs.",
            "mm": 254,
            "w": 1800,
            "table": True,
        },
    ],
)
fam(
    "saw_blade",
    "Tools > Accessories > Saw Blades",
    "pieces",
    200,
    4,
    "{title}",
    "{desc}",
    [("Diameter", "mm", "mm"), ("Teeth", "teeth", "T")],
    [
        {
            "title": "TCT Circular Saw Blade 185mm 40T for Wood",
            "desc": "Tungsten carbide tipped saw blade 185 x 20 mm, 40 teeth, for circular saws, wood and laminate.",
            "mm": 185,
            "teeth": 40,
        },
        {
            "title": "254mm 60 Teeth Saw Blade Aluminium Cutting",
            "desc": "TCT blade 10 inch for mitre saws and table saws, non-ferrous metals.",
            "mm": 254,
            "teeth": 60,
        },
        {
            "title": "Reciprocating Saw Blades 5pcs Wood Metal",
            "desc": "Bi-metal sabre saw blades 150 mm assortment for reciprocating saws.",
            "mm": None,
            "teeth": None,
            "recip": True,
        },
        {
            "title": "Jigsaw Blades Set 10 pcs T-shank",
            "desc": "HCS and HSS jig saw blades T shank for wood and metal.",
            "mm": None,
            "teeth": None,
            "jig": True,
        },
    ],
)
fam(
    "reciprocating_saw",
    "Tools > Power Tools > Saws",
    "pieces",
    10,
    30,
    "Reciprocating Saw {extra}",
    "Sabre saw with tool-free blade change, variable speed, 28 mm stroke, for wood, metal and pipe. {x}",
    [("Power", "w", "W"), ("Voltage", "v", "V")],
    [
        {"w": 1050, "v": None, "extra": "1050W Corded", "x": "Two blades included."},
        {"w": None, "v": 20, "extra": "20V Cordless Brushless", "cordless": True, "x": "Bare tool."},
    ],
)
fam(
    "jigsaw",
    "Tools > Power Tools > Saws",
    "pieces",
    10,
    22,
    "Jig Saw 650W Laser Pendulum",
    "Electric jigsaw 650 W, 4-step pendulum, bevel 45°, laser guide, T-shank blades.",
    [("Power", "w", "W")],
    [{"w": 650}],
)
fam(
    "heat_gun",
    "Tools > Power Tools > Heat Guns",
    "pieces",
    20,
    11,
    "Heat Gun {w}W {extra}",
    "Hot air gun {w} W, temperature {tr}, {n} nozzles, for shrink wrap, paint stripping and PVC welding.",
    [("Power", "w", "W")],
    [
        {"w": 2000, "tr": "50-600°C", "n": 4, "extra": "Digital LCD"},
        {"w": 1500, "tr": "350/550°C", "n": 2, "extra": "2 Settings"},
    ],
)
fam(
    "tool_battery",
    "Tools > Accessories > Batteries & Chargers",
    "pieces",
    50,
    12,
    "{title}",
    "{desc}",
    [("Voltage", "v", "V"), ("Capacity", "ah", "Ah")],
    [
        {
            "title": "18V 4.0Ah Li-ion Replacement Battery for Cordless Tools",
            "desc": "Power tool battery pack 18 V 4.0 Ah with fuel gauge, fits 18V drills and grinders.",
            "v": 18,
            "ah": 4,
        },
        {
            "title": "20V Fast Charger for Li-ion Tool Batteries",
            "desc": "Rapid charger for 20 V power tool batteries, 4 A.",
            "v": 20,
            "ah": None,
            "charger": True,
        },
    ],
)

# ---------------------------------------------------------------- lighting
fam(
    "high_bay",
    "Lighting > Industrial > High Bay",
    "pieces",
    20,
    24,
    "{title}",
    "{desc}",
    [("Power", "w", "W"), ("Luminous Efficacy", "lmw", "lm/W"), ("Ingress Protection", "ip", "")],
    [
        {
            "title": "LED High Bay Light 100W Round IP65",
            "desc": "Round industrial highbay 100 W, 150 lm/W, 5000K, Meanwell driver, for warehouses and workshops. Hook and chain included.",
            "w": 100,
            "lmw": 150,
            "ip": "IP65",
            "ipn": 65,
            "round": True,
        },
        {
            "title": "150W UFO LED High Bay 22500lm Warehouse Lighting",
            "desc": "UFO shaped LED high bay 150 W, 22500 lm, 90° lens, IP65, 1-10V dimmable.",
            "w": 150,
            "lmw": 150,
            "ip": "IP65",
            "ipn": 65,
            "round": True,
        },
        {
            "title": "200W round highbay lamp factory light",
            "desc": "LED highbay 200 W, 30000 lumen, IP65, aluminium heat sink.",
            "w": 200,
            "lmw": 150,
            "ip": "IP65",
            "ipn": 65,
            "round": True,
        },
        {
            "title": "Linear LED High Bay 150W Shop Light",
            "desc": "Linear high bay fixture 2 ft 150 W for retail and gyms, indoor IP40.",
            "w": 150,
            "lmw": 140,
            "ip": "IP40",
            "ipn": 40,
            "linear": True,
        },
    ],
)
fam(
    "flood_light",
    "Lighting > Outdoor > Floodlights",
    "pieces",
    50,
    9,
    "LED Flood Light {w}W {ip} {extra}",
    "Outdoor LED floodlight {w} W, {lm} lm, {ip}, 6500K, tempered glass, aluminium, working temperature {tmin}~{tmax}°C. For yards, billboards, stadium.",
    [("Power", "w", "W"), ("Ingress Protection", "ip", ""), ("Working Temperature", "trange", "°C")],
    [
        {"w": 50, "ip": "IP65", "ipn": 65, "lm": 5000, "tmin": -20, "tmax": 50, "trange": "-20 to 50", "extra": "Slim"},
        {
            "w": 100,
            "ip": "IP66",
            "ipn": 66,
            "lm": 11000,
            "tmin": -40,
            "tmax": 60,
            "trange": "-40 to 60",
            "extra": "Cold Resistant",
        },
        {
            "w": 200,
            "ip": "IP65",
            "ipn": 65,
            "lm": 24000,
            "tmin": -20,
            "tmax": 50,
            "trange": "-20 to 50",
            "extra": "Stadium",
        },
        {
            "w": 30,
            "ip": "IP44",
            "ipn": 44,
            "lm": 2700,
            "tmin": -10,
            "tmax": 40,
            "trange": "-10 to 40",
            "extra": "with Plug",
        },
    ],
)
fam(
    "panel_light",
    "Lighting > Indoor > Panel Lights",
    "pieces",
    50,
    7,
    "LED Panel Light {size} {w}W {extra}",
    "Ceiling recessed LED panel {size} mm, {w} W, back-lit, UGR<19, 4000K, flicker free driver.",
    [("Power", "w", "W"), ("Size", "size", "mm")],
    [
        {"size": "600x600", "w": 40, "extra": "Backlit"},
        {"size": "1200x300", "w": 40, "extra": "Office"},
        {"size": "600x600", "w": 48, "extra": "Surface Mounted"},
    ],
)
fam(
    "led_tube",
    "Lighting > Indoor > Tubes",
    "pieces",
    100,
    1.2,
    "T8 LED Tube {len}mm {w}W {extra}",
    "Glass T8 LED tube {len} mm, {w} W, G13, 6500K, {lm} lm, ballast bypass.",
    [("Length", "len", "mm"), ("Power", "w", "W")],
    [{"len": 1200, "w": 18, "lm": 1800, "extra": "4ft"}, {"len": 600, "w": 9, "lm": 900, "extra": "2ft"}],
)
fam(
    "led_bulb",
    "Lighting > Indoor > Bulbs",
    "pieces",
    500,
    0.4,
    "LED Bulb {shape} {w}W {base} {extra}",
    "LED lamp {shape} {w} W, {base} base, 220-240 V, {lm} lm, warm white 3000K or cool white 6500K.",
    [("Power", "w", "W"), ("Base", "base", "")],
    [
        {"shape": "A60", "w": 9, "base": "E27", "lm": 810, "extra": ""},
        {"shape": "A60", "w": 12, "base": "B22", "lm": 1100, "extra": "Bayonet"},
        {"shape": "C37 Candle", "w": 5, "base": "E14", "lm": 450, "extra": "Filament"},
    ],
)
fam(
    "led_strip",
    "Lighting > Decorative > Strips",
    "rolls",
    50,
    3,
    "{title}",
    "{desc}",
    [("Voltage", "v", "V"), ("Ingress Protection", "ip", ""), ("Length", "len", "m")],
    [
        {
            "title": "5050 RGB LED Strip 12V 5m IP20",
            "desc": "Flexible RGB strip 60 LEDs/m, 12 V DC, 5 m reel, indoor, with adhesive tape.",
            "v": 12,
            "ip": "IP20",
            "ipn": 20,
            "len": 5,
        },
        {
            "title": "24V LED Strip Waterproof IP65 2835 Warm White 5m",
            "desc": "Silicone coated 2835 strip 120 LEDs/m, 24 V, for outdoor eaves and signs.",
            "v": 24,
            "ip": "IP65",
            "ipn": 65,
            "len": 5,
        },
        {
            "title": "COB LED strip 24v 10m roll dotless",
            "desc": "COB flexible strip 480 chips/m 24 V, seamless line, IP20.",
            "v": 24,
            "ip": "IP20",
            "ipn": 20,
            "len": 10,
        },
    ],
)
fam(
    "flashlight",
    "Lighting > Portable > Flashlights",
    "pieces",
    100,
    5,
    "{title}",
    "{desc}",
    [("Luminous Flux", "lm", "lm"), ("Ingress Protection", "ip", "")],
    [
        {
            "title": "Tactical LED Flashlight 1000 Lumen USB Rechargeable",
            "desc": "Aluminium handheld flashlight, zoomable, 5 modes, 18650 battery, USB-C charging, IPX6.",
            "lm": 1000,
            "ip": "IPX6",
        },
        {
            "title": "Headlamp LED Rechargeable 500lm Motion Sensor",
            "desc": "Head torch for running and camping, 500 lm, red light, sensor switch.",
            "lm": 500,
            "ip": "IPX4",
            "head": True,
        },
        {
            "title": "Dive Flashlight IP68 Underwater 100m",
            "desc": "Scuba diving torch 2000 lm, IP68 waterproof to 100 m.",
            "lm": 2000,
            "ip": "IP68",
        },
    ],
)
fam(
    "tri_proof_light",
    "Lighting > Industrial > Vapor Tight",
    "pieces",
    50,
    11,
    "Tri-proof LED Light {len}ft {w}W IP65",
    "Vapor tight batten fixture {w} W, PC housing, IP65 waterproof dustproof, for car parks, cold rooms and tunnels. -30~50°C.",
    [("Power", "w", "W"), ("Ingress Protection", "ip", ""), ("Working Temperature", "trange", "°C")],
    [
        {"len": 4, "w": 36, "ip": "IP65", "ipn": 65, "tmin": -30, "tmax": 50, "trange": "-30 to 50"},
        {"len": 5, "w": 60, "ip": "IP65", "ipn": 65, "tmin": -30, "tmax": 50, "trange": "-30 to 50"},
    ],
)
fam(
    "pool_light",
    "Lighting > Outdoor > Underwater",
    "pieces",
    20,
    14,
    "IP68 Underwater Pool Light {w}W RGB 12V",
    "Resin filled swimming pool lamp {w} W, IP68, 12 V AC/DC, RGB with remote, stainless steel 316 cover.",
    [("Power", "w", "W"), ("Ingress Protection", "ip", "")],
    [{"w": 18, "ip": "IP68", "ipn": 68}, {"w": 35, "ip": "IP68", "ipn": 68}],
)
fam(
    "exit_sign",
    "Lighting > Safety > Emergency",
    "pieces",
    50,
    8,
    "{title}",
    "{desc}",
    [("Backup Time", "h", "h")],
    [
        {
            "title": "LED Emergency Exit Sign Running Man 3 Hours",
            "desc": "Maintained exit sign with Ni-Cd battery 3 h backup, wall or ceiling mount.",
            "h": 3,
        },
        {
            "title": "Twin Spot Emergency Light Rechargeable",
            "desc": "Emergency lighting unit with two adjustable heads, 90 min backup.",
            "h": 1.5,
        },
    ],
)

# ---------------------------------------------------------------- pumps / valves
fam(
    "borehole_pump",
    "Pumps > Submersible > Deep Well",
    "pieces",
    5,
    120,
    "{title}",
    "{desc}",
    [("Outlet Diameter", "outlet", "inch"), ("Motor Power", "hp", "HP"), ("Max Head", "head", "m")],
    [
        {
            "title": "4 inch Deep Well Submersible Pump 1.5HP 220V",
            "desc": 'Borehole pump 4" for wells, stainless steel 304 body, 1.1 kW 1.5 HP, max head 110 m, max flow 3 m³/h, 1-1/4 inch outlet, cable 30 m.',
            "well_in": 4,
            "hp": 1.5,
            "head": 110,
            "outlet": 1.25,
            "steel": 304,
        },
        {
            "title": '3" borehole pump 0.75 kW small wells',
            "desc": "3 inch submersible well pump 1 HP 0.75 kW, head 60 m, 1 inch outlet.",
            "well_in": 3,
            "hp": 1,
            "head": 60,
            "outlet": 1,
        },
        {
            "title": "Solar DC Submersible Pump 48V 1100W for Irrigation",
            "desc": "Brushless DC deep well pump with MPPT controller, 48 V, 1100 W, 4 inch, head 80 m, 2 inch outlet. Runs directly from solar panels.",
            "well_in": 4,
            "hp": 1.5,
            "head": 80,
            "outlet": 2,
            "solar": True,
            "v": 48,
        },
        {
            "title": "6 inch Submersible Borehole Pump 7.5HP Three Phase",
            "desc": '6" deep well pump 5.5 kW three phase 380 V, stainless impellers, 3 inch outlet.',
            "well_in": 6,
            "hp": 7.5,
            "head": 150,
            "outlet": 3,
            "three": True,
        },
    ],
)
fam(
    "sewage_pump",
    "Pumps > Submersible > Sewage & Drainage",
    "pieces",
    10,
    45,
    "{title}",
    "{desc}",
    [("Power", "w", "W"), ("Outlet", "outlet", "inch")],
    [
        {
            "title": "Submersible Sewage Pump with Cutter 1.5kW",
            "desc": "Grinder pump for wastewater and septic tanks, cutting impeller, 2 inch outlet, float switch, cast iron.",
            "w": 1500,
            "outlet": 2,
        },
        {
            "title": "Dirty Water Drainage Pump 750W Float Switch",
            "desc": "Portable submersible pump for flooded basements and ponds, 750 W, plastic body, 1-1/2 inch.",
            "w": 750,
            "outlet": 1.5,
        },
    ],
)
fam(
    "surface_pump",
    "Pumps > Surface Pumps > Centrifugal",
    "pieces",
    10,
    38,
    "{title}",
    "{desc}",
    [("Power", "hp", "HP"), ("Inlet/Outlet", "outlet", "inch")],
    [
        {
            "title": "Centrifugal Water Pump 1HP Clean Water",
            "desc": "Surface centrifugal pump 0.75 kW 1 HP, 1 inch x 1 inch, brass impeller, for irrigation and water transfer.",
            "hp": 1,
            "outlet": 1,
        },
        {
            "title": "Automatic Booster Pump for Home Water Pressure 370W",
            "desc": "Self-priming pressure booster with pressure switch and tank, 0.5 HP, 1 inch.",
            "hp": 0.5,
            "outlet": 1,
            "booster": True,
        },
        {
            "title": "Gasoline Water Pump 3 inch WP30",
            "desc": "Petrol engine transfer pump 3 inch, 7 HP engine, 60 m³/h.",
            "hp": 7,
            "outlet": 3,
            "engine": True,
        },
    ],
)
fam(
    "ball_valve",
    "Plumbing > Valves > Ball Valves",
    "pieces",
    100,
    2,
    "{title}",
    "{desc}",
    [("Size", "inch", "inch"), ("Body Material", "mat", ""), ("Pressure", "pn", "bar")],
    [
        {
            "title": "Brass Ball Valve 1/2 inch Full Port Lever",
            "desc": 'Forged brass ball valve 1/2" BSP female thread, PN25, full bore, for water and gas.',
            "inch": 0.5,
            "mat": "Brass",
            "pn": 25,
        },
        {
            "title": 'Brass ball valve 1" female thread butterfly handle',
            "desc": "1 inch forged brass, PN16, nickel plated.",
            "inch": 1,
            "mat": "Brass",
            "pn": 16,
        },
        {
            "title": "Stainless Steel 304 Ball Valve 2 Inch 2PC",
            "desc": 'Two-piece SS304 (CF8) ball valve 2" NPT, 1000 WOG, for industrial water and oil.',
            "inch": 2,
            "mat": "Stainless steel 304",
            "steel": 304,
            "pn": 69,
        },
        {
            "title": "316 Stainless Ball Valve 1 Inch 3PC Sanitary Clamp",
            "desc": 'Three piece CF8M / SS316 ball valve 1" tri-clamp ends for food and pharma.',
            "inch": 1,
            "mat": "Stainless steel 316",
            "steel": 316,
            "pn": 40,
        },
        {
            "title": "PVC Ball Valve 2 inch True Union",
            "desc": 'UPVC true union ball valve 63 mm / 2" solvent socket for pools and irrigation.',
            "inch": 2,
            "mat": "PVC",
            "pn": 10,
        },
    ],
)
fam(
    "gate_valve",
    "Plumbing > Valves > Gate & Butterfly",
    "pieces",
    20,
    18,
    "{title}",
    "{desc}",
    [("Nominal Diameter", "dn", "DN"), ("Body Material", "mat", "")],
    [
        {
            "title": "Cast Iron Gate Valve DN50 Flanged PN16",
            "desc": "Resilient seated gate valve, ductile iron GGG50 body, DN50 (2 inch) flanged, PN16, for waterworks.",
            "dn": 50,
            "mat": "Ductile iron",
        },
        {
            "title": "Butterfly Valve DN100 Wafer Type Lever",
            "desc": "Wafer butterfly valve 4 inch DN100, cast iron body, EPDM seat, stainless disc.",
            "dn": 100,
            "mat": "Cast iron",
            "butterfly": True,
        },
        {
            "title": "Swing Check Valve Brass 1 inch",
            "desc": 'Non-return valve 1" brass, spring-less swing type.',
            "dn": 25,
            "mat": "Brass",
            "check": True,
        },
    ],
)
fam(
    "pressure_gauge",
    "Instruments > Pressure > Gauges",
    "pieces",
    100,
    2.5,
    "Pressure Gauge {mm}mm 0-{bar} bar {extra}",
    'Bourdon tube pressure gauge dial {mm} mm, range 0-{bar} bar / psi, 1/4" NPT bottom connection, {extra2}.',
    [("Dial Size", "mm", "mm"), ("Range", "bar", "bar")],
    [
        {"mm": 63, "bar": 10, "extra": "", "extra2": "steel case"},
        {
            "mm": 100,
            "bar": 16,
            "extra": "Glycerin Filled Stainless",
            "extra2": "stainless steel 304 case, glycerine filled against vibration",
            "steel": 304,
        },
    ],
)

# ---------------------------------------------------------------- packaging
fam(
    "mailer_box",
    "Packaging > Boxes > Mailer Boxes",
    "pieces",
    500,
    0.35,
    "{title}",
    "{desc}",
    [("Size", "size", "cm"), ("Material", "mat", "")],
    [
        {
            "title": "Custom Printed Kraft Mailer Box Corrugated E Flute",
            "desc": "Self-locking tuck top mailing box, brown kraft, E flute corrugated, 25 x 20 x 8 cm, custom logo print, ships flat.",
            "size": "25x20x8",
            "mat": "Kraft corrugated",
            "kraft": True,
            "print": True,
        },
        {
            "title": "White Corrugated Shipping Box Mailer 30x22x10",
            "desc": "White mailer box for e-commerce subscription boxes, 3 mm E flute, plain.",
            "size": "30x22x10",
            "mat": "White corrugated",
            "kraft": False,
        },
        {
            "title": "Double wall carton box 5 ply heavy duty moving",
            "desc": "Brown regular slotted carton, 5 ply BC flute, 60 x 40 x 40 cm, for moving and export.",
            "size": "60x40x40",
            "mat": "Kraft corrugated",
            "kraft": True,
            "rsc": True,
        },
        {
            "title": "Rigid Gift Box Magnetic Closure Black",
            "desc": "Luxury paperboard gift box with magnetic lid, 1200 gsm greyboard, ribbon.",
            "size": "20x15x6",
            "mat": "Greyboard",
            "rigid": True,
        },
    ],
)
fam(
    "poly_mailer",
    "Packaging > Bags > Mailing Bags",
    "pieces",
    1000,
    0.05,
    "{title}",
    "{desc}",
    [("Size", "size", "inch"), ("Thickness", "mic", "micron")],
    [
        {
            "title": "Poly Mailer Bags 10x13 inch Self Seal",
            "desc": "Co-extruded LDPE courier bags, 60 micron (2.36 mil), white outside, grey inside, tamper evident.",
            "size": "10x13",
            "mic": 60,
        },
        {
            "title": 'Compostable mailing bag 14x17" eco',
            "desc": "PBAT+PLA biodegradable courier envelope, 14 x 17 inch, 50 micron.",
            "size": "14x17",
            "mic": 50,
            "eco": True,
        },
        {
            "title": "Bubble Mailer Padded Envelope 6x10 Kraft",
            "desc": "Kraft paper envelope lined with bubble cushion, 6 x 10 inch.",
            "size": "6x10",
            "mic": None,
            "bubble": True,
            "kraft": True,
        },
    ],
)
fam(
    "paper_bag",
    "Packaging > Bags > Paper Bags",
    "pieces",
    1000,
    0.12,
    "{title}",
    "{desc}",
    [("Paper Weight", "gsm", "gsm")],
    [
        {
            "title": "Brown Kraft Paper Bag with Twisted Handle",
            "desc": "Shopping bag 120 gsm kraft paper, twisted paper handles, 32 x 12 x 42 cm, custom print available.",
            "gsm": 120,
            "kraft": True,
        },
        {
            "title": "Flat Bottom Food Paper Bag Greaseproof",
            "desc": "SOS bakery bag without handle, 50 gsm greaseproof paper.",
            "gsm": 50,
            "kraft": True,
        },
    ],
)
fam(
    "stretch_film",
    "Packaging > Protective > Films & Wraps",
    "rolls",
    100,
    9,
    "{title}",
    "{desc}",
    [("Width", "mm", "mm"), ("Thickness", "mic", "micron"), ("Length", "len", "m")],
    [
        {
            "title": "Stretch Film 500mm 23 Micron Pallet Wrap",
            "desc": "LLDPE cast stretch wrap, hand roll 500 mm x 300 m, 23 μm, clear.",
            "mm": 500,
            "mic": 23,
            "len": 300,
        },
        {
            "title": "Machine stretch wrap 20mic 1500m",
            "desc": "LLDPE machine grade film 500 mm width, 20 micron, 1500 m for automatic pallet wrappers, 250% pre-stretch.",
            "mm": 500,
            "mic": 20,
            "len": 1500,
            "machine": True,
        },
        {
            "title": "Bubble Wrap Roll 1m x 100m Air Cushion",
            "desc": "Air bubble film 10 mm bubbles, 1 m wide, 100 m long, protective packaging.",
            "mm": 1000,
            "mic": None,
            "len": 100,
            "bubble": True,
        },
    ],
)
fam(
    "packing_tape",
    "Packaging > Tapes > Carton Sealing",
    "rolls",
    360,
    0.4,
    "{title}",
    "{desc}",
    [("Width", "mm", "mm"), ("Length", "len", "m")],
    [
        {
            "title": "BOPP Packing Tape Clear 48mm x 100m",
            "desc": "Acrylic adhesive carton sealing tape, 45 micron, 48 mm wide, 100 m.",
            "mm": 48,
            "len": 100,
        },
        {
            "title": "Kraft Paper Tape Water Activated 70mm",
            "desc": "Gummed reinforced kraft tape for eco packaging, 70 mm x 150 m.",
            "mm": 70,
            "len": 150,
            "kraft": True,
        },
    ],
)
fam(
    "bottle",
    "Packaging > Containers > Bottles & Jars",
    "pieces",
    5000,
    0.08,
    "{title}",
    "{desc}",
    [("Capacity", "ml", "ml"), ("Material", "mat", "")],
    [
        {
            "title": "500ml PET Water Bottle with Screw Cap",
            "desc": "Clear PET plastic bottle 500 ml, 28 mm PCO neck, for water and juice.",
            "ml": 500,
            "mat": "PET",
        },
        {
            "title": "1 Litre PET Bottle Clear Juice",
            "desc": "1000 ml round PET bottle with tamper evident cap, 38 mm neck.",
            "ml": 1000,
            "mat": "PET",
        },
        {
            "title": "Glass Mason Jar 250ml Honey Jam with Lid",
            "desc": "Hexagonal glass jar 250 ml with metal twist-off lug lid, for honey, jam and sauces.",
            "ml": 250,
            "mat": "Glass",
        },
        {
            "title": "HDPE Jerry Can 20L Stackable",
            "desc": "20 litre plastic jerrycan, UN approved, for chemicals and edible oil.",
            "ml": 20000,
            "mat": "HDPE",
        },
        {
            "title": "Amber glass dropper bottle 30ml essential oil",
            "desc": "30 ml Boston round amber bottle with glass pipette.",
            "ml": 30,
            "mat": "Glass",
        },
    ],
)

# ---------------------------------------------------------------- kitchenware
fam(
    "cookware_set",
    "Home & Kitchen > Cookware > Sets",
    "sets",
    50,
    35,
    "{title}",
    "{desc}",
    [("Material", "mat", ""), ("Pieces", "pcs", "pcs")],
    [
        {
            "title": "12 Piece Stainless Steel Cookware Set Induction",
            "desc": "Pots and pans set in 18/8 (304) stainless steel, tri-ply capsule bottom, glass lids, works on induction, gas and ceramic hobs.",
            "mat": "Stainless steel 304",
            "steel": 304,
            "pcs": 12,
        },
        {
            "title": "Cheap Cookware Set 201 Stainless 6pcs",
            "desc": "Economy casserole set, 201 stainless steel, with lids, for gas stoves.",
            "mat": "Stainless steel 201",
            "steel": 201,
            "pcs": 6,
        },
        {
            "title": "Non-stick Aluminium Cookware Set 10pcs Granite Coating",
            "desc": "Forged aluminium pots and frying pans with granite non-stick coating, PFOA free, induction base.",
            "mat": "Aluminium",
            "pcs": 10,
            "nonstick": True,
        },
    ],
)
fam(
    "frying_pan",
    "Home & Kitchen > Cookware > Pans",
    "pieces",
    100,
    6,
    "{title}",
    "{desc}",
    [("Diameter", "cm", "cm"), ("Material", "mat", "")],
    [
        {
            "title": "Non Stick Frying Pan 28cm Induction",
            "desc": "Aluminium fry pan 28 cm with marble coating, bakelite handle.",
            "cm": 28,
            "mat": "Aluminium",
            "nonstick": True,
        },
        {
            "title": "Cast Iron Skillet 26cm Pre-seasoned",
            "desc": "Cast iron frying pan 10 inch, pre-seasoned, oven safe.",
            "cm": 26,
            "mat": "Cast iron",
        },
        {
            "title": "Tri-Ply Stainless Steel Frying Pan 24cm 316",
            "desc": "Uncoated 316 stainless steel skillet 24 cm, clad construction.",
            "cm": 24,
            "mat": "Stainless steel 316",
            "steel": 316,
        },
    ],
)
fam(
    "vacuum_flask",
    "Home & Kitchen > Drinkware > Vacuum Flasks",
    "pieces",
    100,
    3.5,
    "{title}",
    "{desc}",
    [("Capacity", "ml", "ml"), ("Material", "mat", "")],
    [
        {
            "title": "Vacuum Insulated Water Bottle 500ml 304 Stainless",
            "desc": "Double wall sports bottle 500 ml, keeps hot 12 h, cold 24 h, powder coated, custom logo.",
            "ml": 500,
            "steel": 304,
            "mat": "Stainless steel 304",
        },
        {
            "title": "1L Thermos Flask Stainless Steel 316 Inner",
            "desc": "1000 ml vacuum flask with 316 inner, cup lid, for tea and coffee.",
            "ml": 1000,
            "steel": 316,
            "mat": "Stainless steel 316",
        },
        {
            "title": "40oz Tumbler with Handle and Straw",
            "desc": "1.2 L insulated tumbler, 18/8 stainless, straw lid.",
            "ml": 1200,
            "steel": 304,
            "mat": "Stainless steel 304",
            "tumbler": True,
        },
        {
            "title": "2L Stainless Steel Vacuum Jug Coffee Pot",
            "desc": "Airpot coffee carafe 2.0 litre, glass-free steel vacuum, 201 stainless outer.",
            "ml": 2000,
            "steel": 201,
            "mat": "Stainless steel 201",
            "jug": True,
        },
    ],
)
fam(
    "kitchen_knife",
    "Home & Kitchen > Cutlery > Knives",
    "pieces",
    100,
    4,
    "{title}",
    "{desc}",
    [("Blade Length", "in", "inch"), ("Steel", "mat", "")],
    [
        {
            "title": "8 Inch Chef Knife German Steel 1.4116",
            "desc": "Kitchen chef's knife, 8\" blade, X50CrMoV15 stainless, pakkawood handle.",
            "in": 8,
            "mat": "X50CrMoV15",
        },
        {
            "title": "Damascus Gyuto Knife 67 Layers VG10 210mm",
            "desc": "Japanese style chef knife 210 mm, VG10 core with 67 layer damascus.",
            "in": 8.3,
            "mat": "VG10",
        },
        {
            "title": "Knife Set with Block 6 pcs",
            "desc": "Kitchen knife set: chef, bread, carving, utility, paring and scissors with wooden block.",
            "in": None,
            "mat": "3Cr13",
            "set": True,
        },
    ],
)
fam(
    "kettle",
    "Home & Kitchen > Appliances > Kettles",
    "pieces",
    200,
    6,
    "Electric Kettle {l}L {w}W {extra}",
    "Cordless electric kettle {l} litre, {w} W, {mat}, auto shut-off, boil-dry protection, 360° base.",
    [("Capacity", "l", "L"), ("Power", "w", "W")],
    [
        {"l": 1.7, "w": 2200, "mat": "304 stainless steel", "steel": 304, "extra": "Stainless Steel"},
        {"l": 1.0, "w": 1350, "mat": "plastic body", "extra": "Travel Mini"},
        {"l": 1.8, "w": 1500, "mat": "borosilicate glass with blue LED", "extra": "Glass LED"},
    ],
)
fam(
    "air_fryer",
    "Home & Kitchen > Appliances > Air Fryers",
    "pieces",
    100,
    22,
    "Air Fryer {l}L {w}W {extra}",
    "Oil-less air fryer {l} litre basket, {w} W, digital touch panel, 8 presets, 80-200°C, dishwasher safe basket.",
    [("Capacity", "l", "L"), ("Power", "w", "W")],
    [
        {"l": 5, "w": 1500, "extra": "Digital"},
        {"l": 8, "w": 1800, "extra": "Dual Basket"},
        {"l": 3.5, "w": 1200, "extra": "Compact Mechanical"},
    ],
)
fam(
    "blender",
    "Home & Kitchen > Appliances > Blenders",
    "pieces",
    100,
    15,
    "{title}",
    "{desc}",
    [("Power", "w", "W"), ("Jar Capacity", "l", "L")],
    [
        {
            "title": "Commercial Blender 2200W 2L Heavy Duty",
            "desc": "High speed smoothie blender, 2200 W motor, 2 L BPA-free jar, for bars and cafes.",
            "w": 2200,
            "l": 2,
        },
        {
            "title": "Portable Blender USB Rechargeable 380ml",
            "desc": "Personal juicer cup 380 ml, 6 blades, USB-C charging.",
            "w": 40,
            "l": 0.38,
        },
    ],
)
fam(
    "food_container",
    "Home & Kitchen > Storage > Food Containers",
    "sets",
    100,
    5,
    "{title}",
    "{desc}",
    [("Capacity", "ml", "ml")],
    [
        {
            "title": "Glass Meal Prep Containers 1000ml Set of 5",
            "desc": "Borosilicate glass food storage boxes 1 L with snap lids, microwave and oven safe.",
            "ml": 1000,
        },
        {
            "title": "Disposable Plastic Takeaway Containers 750ml",
            "desc": "PP microwavable food boxes with lids, 750 ml, 300 per carton.",
            "ml": 750,
            "disposable": True,
        },
    ],
)

# ---------------------------------------------------------------- textiles / apparel
fam(
    "tshirt",
    "Apparel > Tops > T-Shirts",
    "pieces",
    100,
    2.2,
    "{title}",
    "{desc}",
    [("Fabric Weight", "gsm", "gsm"), ("Material", "mat", "")],
    [
        {
            "title": "Blank T-Shirt 100% Cotton 180gsm Unisex",
            "desc": "Plain crew neck tee, combed ring-spun cotton 180 gsm, sizes XS-3XL, for screen printing.",
            "gsm": 180,
            "mat": "100% cotton",
        },
        {
            "title": "Heavyweight Oversized Tee 250 gsm Drop Shoulder",
            "desc": "Streetwear t shirt, 250 gsm cotton jersey, boxy fit.",
            "gsm": 250,
            "mat": "100% cotton",
        },
        {
            "title": "Quick Dry Polyester Sports T Shirt",
            "desc": "Moisture wicking 140 gsm polyester birdseye tee for sublimation.",
            "gsm": 140,
            "mat": "100% polyester",
        },
        {
            "title": "Pique Polo Shirt Cotton 220gsm Embroidery Logo",
            "desc": "Short sleeve polo, cotton pique, custom embroidery for uniforms.",
            "gsm": 220,
            "mat": "100% cotton",
            "polo": True,
        },
    ],
)
fam(
    "hoodie",
    "Apparel > Tops > Sweatshirts",
    "pieces",
    50,
    8,
    "{title}",
    "{desc}",
    [("Fabric Weight", "gsm", "gsm")],
    [
        {
            "title": "Heavy Fleece Hoodie 400gsm Cotton",
            "desc": "Pullover hooded sweatshirt, 80% cotton 20% polyester brushed fleece, 400 gsm, kangaroo pocket.",
            "gsm": 400,
        },
        {
            "title": "Zip Up Hoodie 280gsm French Terry",
            "desc": "Full zip hoodie, french terry cotton 280 gsm, lightweight.",
            "gsm": 280,
            "zip": True,
        },
    ],
)
fam(
    "work_gloves",
    "Safety > Hand Protection > Work Gloves",
    "pairs",
    1200,
    0.3,
    "{title}",
    "{desc}",
    [("Cut Level", "cut", ""), ("Coating", "coat", "")],
    [
        {
            "title": "Nitrile Coated Work Gloves Foam Palm 13G",
            "desc": "13 gauge nylon liner with sandy nitrile palm coating, EN388 4121, for construction and mechanics.",
            "coat": "Nitrile",
            "cut": "A1",
        },
        {
            "title": "Cut Resistant Gloves Level 5 HPPE",
            "desc": "HPPE knitted gloves, cut level A4 / level 5, PU palm, for glass and metal handling.",
            "coat": "PU",
            "cut": "A4",
        },
        {
            "title": "Leather Welding Gloves 14 inch",
            "desc": "Cowhide split leather welder gloves, heat resistant, 35 cm.",
            "coat": "Leather",
            "cut": None,
            "welding": True,
        },
    ],
)
fam(
    "disposable_gloves",
    "Medical > Gloves > Examination",
    "cartons",
    10,
    28,
    "{title}",
    "{desc}",
    [("Material", "mat", ""), ("Thickness", "mil", "mil")],
    [
        {
            "title": "Nitrile Examination Gloves Powder Free Blue",
            "desc": "Disposable medical nitrile gloves 3.5 mil, powder free, EN455, 100 per box, 10 boxes per carton.",
            "mat": "Nitrile",
            "mil": 3.5,
            "medical": True,
        },
        {
            "title": "Latex Exam Gloves Lightly Powdered",
            "desc": "Natural rubber latex examination gloves, 100 pcs/box.",
            "mat": "Latex",
            "mil": 4,
            "medical": True,
        },
        {
            "title": "Vinyl Gloves Clear Food Service",
            "desc": "PVC disposable gloves, food handling, not for medical use.",
            "mat": "Vinyl",
            "mil": 3,
            "medical": False,
        },
    ],
)
fam(
    "safety_shoes",
    "Safety > Footwear > Safety Shoes",
    "pairs",
    300,
    14,
    "{title}",
    "{desc}",
    [("Standard", "std", ""), ("Toe Cap", "toe", "")],
    [
        {
            "title": "Steel Toe Safety Shoes S3 Leather Waterproof",
            "desc": "Work boots, steel toe cap 200 J, anti-puncture steel midsole, S3 SRC, oil resistant PU sole.",
            "std": "S3",
            "toe": "Steel",
        },
        {
            "title": "Composite Toe Sneakers S1P Lightweight",
            "desc": "Breathable safety trainers with fibreglass toe, kevlar midsole, metal free.",
            "std": "S1P",
            "toe": "Composite",
        },
    ],
)
fam(
    "towel",
    "Home Textiles > Bath > Towels",
    "pieces",
    500,
    2.5,
    "{title}",
    "{desc}",
    [("Weight", "gsm", "gsm"), ("Size", "size", "cm")],
    [
        {
            "title": "Hotel Bath Towel 100% Cotton 600gsm 70x140",
            "desc": "White terry bath towel, ring spun cotton, 600 gsm, dobby border, for hotels and spas.",
            "gsm": 600,
            "size": "70x140",
            "cotton": True,
        },
        {
            "title": "Microfiber Quick Dry Towel 40x80 Gym",
            "desc": "Suede microfibre sports towel 300 gsm with mesh bag.",
            "gsm": 300,
            "size": "40x80",
            "cotton": False,
        },
        {
            "title": "cotton hand towel 35x75 400g",
            "desc": "Plain hand towels 400 gsm, 16s yarn.",
            "gsm": 400,
            "size": "35x75",
            "cotton": True,
        },
    ],
)
fam(
    "fabric",
    "Textiles > Fabrics > Woven",
    "meters",
    1000,
    1.2,
    "{title}",
    "{desc}",
    [("Width", "width", "cm"), ("Weight", "gsm", "gsm")],
    [
        {
            "title": "600D Oxford Fabric PU Coated Waterproof",
            "desc": "Polyester oxford cloth 600 denier, PU coating, 150 cm wide, for bags and tents.",
            "den": 600,
            "gsm": 230,
            "width": 150,
            "mat": "polyester",
        },
        {
            "title": "Oxford 210D polyester PU waterproof lining",
            "desc": "210D oxford fabric for linings and umbrellas, 150 cm.",
            "den": 210,
            "gsm": 90,
            "width": 150,
            "mat": "polyester",
        },
        {
            "title": "Cotton Canvas Fabric 12oz Natural",
            "desc": "100% cotton duck canvas 12 oz (400 gsm), 150 cm, for tote bags.",
            "den": None,
            "gsm": 400,
            "width": 150,
            "mat": "cotton",
        },
    ],
)

# ---------------------------------------------------------------- electronics accessories
fam(
    "usb_cable",
    "Consumer Electronics > Cables > USB",
    "pieces",
    500,
    0.8,
    "{title}",
    "{desc}",
    [("Length", "m", "m"), ("Max Power", "w", "W")],
    [
        {
            "title": "USB C to USB C Cable 1m 60W Braided",
            "desc": "Type-C fast charging cable, 3 A, 60 W PD, nylon braided, 1 m.",
            "m": 1,
            "w": 60,
            "conn": "c-c",
        },
        {
            "title": "USB-C Cable 2m 100W 5A E-marker",
            "desc": "2 m USB C to C, 100 W, 5 A, USB 2.0 data.",
            "m": 2,
            "w": 100,
            "conn": "c-c",
        },
        {
            "title": "Lightning Cable MFi 1m for iPhone",
            "desc": "USB-A to Lightning charge and sync cable, MFi certified.",
            "m": 1,
            "w": 12,
            "conn": "lightning",
        },
        {
            "title": "Micro USB Cable 1m Android",
            "desc": "USB-A to micro USB charging cable 2.4 A.",
            "m": 1,
            "w": 12,
            "conn": "micro",
        },
    ],
)
fam(
    "wall_charger",
    "Consumer Electronics > Phone Accessories > Chargers",
    "pieces",
    200,
    3,
    "{title}",
    "{desc}",
    [("Output Power", "w", "W")],
    [
        {
            "title": "65W GaN Charger 3 Port USB C PD",
            "desc": "Gallium nitride fast wall charger 65 W, 2 USB-C and 1 USB-A, foldable US/EU/UK plug, for laptops and phones.",
            "w": 65,
        },
        {"title": "20W USB-C PD Wall Charger for iPhone", "desc": "Power adapter 20 W PD 3.0, EU plug.", "w": 20},
        {
            "title": "Car Charger Dual USB 36W QC3.0",
            "desc": "Cigarette lighter phone charger, 12/24 V input.",
            "w": 36,
            "car": True,
        },
    ],
)
fam(
    "earbuds",
    "Consumer Electronics > Audio > Earphones",
    "pieces",
    100,
    7,
    "{title}",
    "{desc}",
    [("Battery Life", "h", "h"), ("Bluetooth", "bt", "")],
    [
        {
            "title": "TWS Earbuds Bluetooth 5.3 ANC",
            "desc": "True wireless earphones with active noise cancelling, 30 h with case, IPX5.",
            "h": 30,
            "bt": "5.3",
            "anc": True,
        },
        {
            "title": "Wireless earphones cheap bluetooth TWS LED display",
            "desc": "Bluetooth 5.1 in-ear headset with charging case and power display.",
            "h": 20,
            "bt": "5.1",
        },
        {
            "title": "Over-Ear Bluetooth Headphones Foldable",
            "desc": "Wireless headphones, 40 mm drivers, 50 h playtime.",
            "h": 50,
            "bt": "5.0",
            "overear": True,
        },
    ],
)
fam(
    "phone_case",
    "Consumer Electronics > Phone Accessories > Cases",
    "pieces",
    200,
    0.9,
    "{title}",
    "{desc}",
    [("Compatible Model", "model", "")],
    [
        {
            "title": "Shockproof Clear Case for iPhone 15 Pro",
            "desc": "TPU + PC transparent phone cover with reinforced corners, MagSafe compatible.",
            "model": "iPhone 15 Pro",
        },
        {
            "title": "Tempered Glass Screen Protector iPhone 15 9H",
            "desc": "2.5D 9H hardness screen guard, anti-fingerprint.",
            "model": "iPhone 15",
            "glass": True,
        },
        {
            "title": "Silicone Case Samsung Galaxy S24",
            "desc": "Liquid silicone soft phone case with microfiber lining.",
            "model": "Galaxy S24",
        },
    ],
)
fam(
    "smartwatch",
    "Consumer Electronics > Wearables > Smart Watches",
    "pieces",
    50,
    12,
    "{title}",
    "{desc}",
    [("Screen", "in", "inch"), ("Ingress Protection", "ip", "")],
    [
        {
            "title": "Smart Watch 1.96 inch AMOLED Bluetooth Call",
            "desc": "Fitness smartwatch with heart rate, SpO2, sleep monitor, IP68, bluetooth calling, 100+ sport modes.",
            "in": 1.96,
            "ip": "IP68",
            "ipn": 68,
        },
        {
            "title": "Kids GPS Smart Watch 4G Video Call",
            "desc": "Children's phone watch with GPS tracker, SOS, IP67.",
            "in": 1.4,
            "ip": "IP67",
            "ipn": 67,
            "kids": True,
        },
        {
            "title": "Fitness Tracker Band Heart Rate",
            "desc": 'Smart bracelet 1.1" screen, step counter, IP67.',
            "in": 1.1,
            "ip": "IP67",
            "ipn": 67,
            "band": True,
        },
    ],
)

# ---------------------------------------------------------------- auto parts
fam(
    "brake_pads",
    "Automotive > Brakes > Brake Pads",
    "sets",
    50,
    6,
    "{title}",
    "{desc}",
    [("Position", "pos", ""), ("Material", "mat", "")],
    [
        {
            "title": "Ceramic Brake Pads Front for Toyota Corolla",
            "desc": "Front disc brake pad set, ceramic compound, low dust, with shims. OE 04465-02220.",
            "pos": "Front",
            "mat": "Ceramic",
        },
        {
            "title": "Semi-Metallic Brake Pads Rear Heavy Duty Truck",
            "desc": "Rear brake pads, semi metallic, for pickups and light trucks.",
            "pos": "Rear",
            "mat": "Semi-metallic",
        },
    ],
)
fam(
    "brake_disc",
    "Automotive > Brakes > Rotors",
    "pieces",
    50,
    14,
    "Brake Disc Rotor {mm}mm {extra}",
    "Cast iron G3000 brake rotor {mm} mm, {kind}, balanced, anti-rust coated.",
    [("Diameter", "mm", "mm")],
    [
        {"mm": 280, "kind": "vented", "extra": "Vented Front"},
        {"mm": 300, "kind": "drilled and slotted", "extra": "Drilled Slotted Performance"},
    ],
)
fam(
    "car_battery",
    "Automotive > Electrical > Batteries",
    "pieces",
    50,
    40,
    "{title}",
    "{desc}",
    [("Voltage", "v", "V"), ("Capacity", "ah", "Ah"), ("CCA", "cca", "A")],
    [
        {
            "title": "12V 60Ah Car Battery Maintenance Free DIN60",
            "desc": "Automotive starter battery, lead calcium, 12 V 60 Ah, 540 CCA, sealed.",
            "v": 12,
            "ah": 60,
            "cca": 540,
        },
        {
            "title": "Truck Battery 12V 200Ah N200",
            "desc": "Heavy duty commercial vehicle battery, 12 V 200 Ah, 1200 CCA.",
            "v": 12,
            "ah": 200,
            "cca": 1200,
        },
        {
            "title": "Motorcycle Battery 12V 7Ah YTX7A-BS",
            "desc": "AGM motorbike battery, 12 V 7 Ah, 105 CCA.",
            "v": 12,
            "ah": 7,
            "cca": 105,
            "moto": True,
        },
        {
            "title": "AGM Start-Stop Battery 12V 70Ah",
            "desc": "AGM car battery for start-stop vehicles, 12 V 70 Ah, 760 CCA.",
            "v": 12,
            "ah": 70,
            "cca": 760,
        },
    ],
)
fam(
    "headlight_bulb",
    "Automotive > Lighting > Headlight Bulbs",
    "pairs",
    100,
    6,
    "{title}",
    "{desc}",
    [("Base", "base", ""), ("Power", "w", "W")],
    [
        {
            "title": "H4 LED Headlight Bulb 12000LM Canbus",
            "desc": "Car LED headlamp conversion kit H4 hi/lo beam, 60 W per pair, 6000K, fan cooled, 12-24 V.",
            "base": "H4",
            "w": 60,
        },
        {
            "title": "H7 LED Headlight 6000K Plug and Play",
            "desc": "H7 base LED bulbs, 50 W, CSP chips, IP68.",
            "base": "H7",
            "w": 50,
        },
        {
            "title": "H4 Halogen Bulb 12V 60/55W",
            "desc": "Standard halogen headlamp bulb P43t.",
            "base": "H4",
            "w": 60,
            "halogen": True,
        },
    ],
)
fam(
    "car_filter",
    "Automotive > Engine > Filters",
    "pieces",
    200,
    1.5,
    "{title}",
    "{desc}",
    [("Type", "ft", "")],
    [
        {
            "title": "Oil Filter 90915-YZZD2 for Toyota",
            "desc": "Spin-on engine oil filter, OE 90915-YZZD2.",
            "ft": "oil",
        },
        {
            "title": "Engine Air Filter for Honda Civic 2016-2021",
            "desc": "Panel air filter element, non-woven.",
            "ft": "air",
        },
        {
            "title": "Cabin Air Filter Activated Carbon",
            "desc": "Pollen filter with activated charcoal for HVAC.",
            "ft": "cabin",
        },
    ],
)
fam(
    "tyre_inflator",
    "Automotive > Tools > Air Compressors",
    "pieces",
    50,
    12,
    "{title}",
    "{desc}",
    [("Voltage", "v", "V"), ("Max Pressure", "psi", "psi")],
    [
        {
            "title": "Portable Tire Inflator 12V Digital 150PSI",
            "desc": "Car air compressor pump plugs into 12 V socket, digital gauge, auto stop, LED light.",
            "v": 12,
            "psi": 150,
        },
        {
            "title": "Cordless Tyre Inflator Rechargeable 6000mAh",
            "desc": "Wireless air pump with built-in battery 6000 mAh, 150 psi, for car, bike and balls.",
            "v": None,
            "psi": 150,
            "cordless": True,
        },
    ],
)
fam(
    "wiper_blade",
    "Automotive > Exterior > Wipers",
    "pieces",
    500,
    1.1,
    "Frameless Wiper Blade {in} inch {extra}",
    'Soft beam windshield wiper {in}" ({mm} mm), natural rubber, universal U-hook adapter.',
    [("Length", "in", "inch")],
    [{"in": 22, "mm": 550, "extra": "Universal"}, {"in": 16, "mm": 400, "extra": "Universal"}],
)

# ---------------------------------------------------------------- fasteners / steel
fam(
    "hex_bolt",
    "Hardware > Fasteners > Bolts",
    "kilograms",
    100,
    4,
    "{title}",
    "{desc}",
    [("Thread", "m", ""), ("Material", "mat", ""), ("Length", "len", "mm")],
    [
        {
            "title": "Hex Bolt DIN933 M8 Stainless Steel 304",
            "desc": "A2-70 (304) stainless hex head screws fully threaded M8 x 10-100 mm.",
            "m": "M8",
            "mat": "A2 304",
            "steel": 304,
            "len": 40,
        },
        {
            "title": "Hex Head Bolts M10 A4 316 Stainless Marine",
            "desc": "DIN931 A4-80 316 stainless partially threaded hex bolts for marine use, M10 x 50-150.",
            "m": "M10",
            "mat": "A4 316",
            "steel": 316,
            "len": 80,
        },
        {
            "title": "Grade 8.8 Hex Bolt M12 Zinc Plated",
            "desc": "Carbon steel class 8.8 hex bolts with nuts, blue-white zinc, M12.",
            "m": "M12",
            "mat": "Carbon steel 8.8",
            "len": 60,
        },
        {
            "title": "Hex bolts M8 201 stainless cheap",
            "desc": "201 stainless steel hex bolt M8 for indoor non-corrosive use.",
            "m": "M8",
            "mat": "201",
            "steel": 201,
            "len": 30,
        },
    ],
)
fam(
    "screw",
    "Hardware > Fasteners > Screws",
    "kilograms",
    200,
    2.5,
    "{title}",
    "{desc}",
    [("Size", "size", ""), ("Material", "mat", "")],
    [
        {
            "title": "Self Drilling Screws Hex Washer Head with EPDM",
            "desc": "Tek screws for roofing sheet to steel, 5.5 x 25 mm, C1022 zinc plated, EPDM washer.",
            "size": "5.5x25",
            "mat": "C1022",
        },
        {
            "title": "Chipboard Screws Pozi Countersunk Yellow Zinc 4x40",
            "desc": "Wood screws 4 x 40 mm, hardened, yellow zinc.",
            "size": "4x40",
            "mat": "Carbon steel",
        },
        {
            "title": "Drywall screws black phosphated 3.5x35",
            "desc": "Bugle head gypsum board screws, fine thread.",
            "size": "3.5x35",
            "mat": "C1022",
        },
    ],
)
fam(
    "anchor_bolt",
    "Hardware > Fasteners > Anchors",
    "pieces",
    1000,
    0.2,
    "{title}",
    "{desc}",
    [("Size", "m", ""), ("Material", "mat", "")],
    [
        {
            "title": "Wedge Anchor M10x100 Zinc Plated",
            "desc": "Through bolt concrete anchor M10 x 100, carbon steel, with nut and washer.",
            "m": "M10",
            "mat": "Zinc plated steel",
        },
        {
            "title": "Chemical Anchor Stud 304 M12",
            "desc": "Threaded rod for resin anchoring, A2 304 stainless.",
            "m": "M12",
            "mat": "304",
            "steel": 304,
        },
    ],
)
fam(
    "steel_sheet",
    "Metals > Stainless Steel > Sheets & Plates",
    "tons",
    1,
    2100,
    "{title}",
    "{desc}",
    [("Grade", "steel", ""), ("Thickness", "th", "mm"), ("Finish", "fin", "")],
    [
        {
            "title": "304 Stainless Steel Sheet 2B 1.0mm",
            "desc": "Cold rolled AISI 304 sheet, 2B finish, 1.0 mm thick, 1219 x 2438 mm, mill test certificate.",
            "steel": 304,
            "th": 1.0,
            "fin": "2B",
        },
        {
            "title": "316L Stainless Plate 3mm No.1",
            "desc": "Hot rolled 316L stainless plate, 3 mm, No.1 finish, for chemical tanks.",
            "steel": 316,
            "th": 3,
            "fin": "No.1",
        },
        {
            "title": "201 Stainless Steel Sheet BA Mirror 0.8mm",
            "desc": "J1 201 grade sheet, bright annealed / 8K mirror, 0.8 mm, for decoration.",
            "steel": 201,
            "th": 0.8,
            "fin": "BA",
        },
        {
            "title": "430 stainless coil 0.5mm 2B",
            "desc": "Ferritic 430 cold rolled coil, magnetic, 0.5 mm.",
            "steel": 430,
            "th": 0.5,
            "fin": "2B",
            "coil": True,
        },
        {
            "title": "Galvanized Steel Sheet DX51D Z100 1mm",
            "desc": "Hot dip galvanised coil/sheet, DX51D, zinc 100 g/m², 1.0 mm, regular spangle.",
            "steel": "GI",
            "th": 1.0,
            "fin": "Z100",
            "galv": True,
        },
    ],
)
fam(
    "steel_pipe",
    "Metals > Pipes & Tubes > Steel Pipes",
    "tons",
    1,
    1900,
    "{title}",
    "{desc}",
    [("Grade", "steel", ""), ("Outer Diameter", "od", "mm"), ("Wall Thickness", "wt", "mm")],
    [
        {
            "title": "304 Stainless Steel Seamless Pipe Sch40",
            "desc": "ASTM A312 TP304 seamless tube, OD 6-610 mm, schedule 40, pickled.",
            "steel": 304,
            "od": 60.3,
            "wt": 3.91,
            "seamless": True,
        },
        {
            "title": "316L Welded Stainless Tube Sanitary Polished",
            "desc": "316L welded tube for food and dairy, OD 25.4-101.6 mm, 1.5 mm wall, mirror polished.",
            "steel": 316,
            "od": 50.8,
            "wt": 1.5,
        },
        {
            "title": "Galvanized Steel Pipe 2 inch BS1387",
            "desc": 'Hot dip galvanized round pipe 2", medium weight, threaded and socketed, for water and scaffolding.',
            "steel": "GI",
            "od": 60.3,
            "wt": 3.6,
            "galv": True,
        },
        {
            "title": "201 Stainless Decorative Tube 25mm",
            "desc": "201 welded tube for railings and furniture, 25.4 mm, 0.8 mm wall, satin.",
            "steel": 201,
            "od": 25.4,
            "wt": 0.8,
        },
    ],
)
fam(
    "rebar",
    "Metals > Construction Steel > Rebar",
    "tons",
    25,
    520,
    "Deformed Steel Rebar {grade} {mm}mm",
    "Hot rolled ribbed reinforcing bar {grade}, diameter {mm} mm, 12 m length, for concrete construction.",
    [("Grade", "grade", ""), ("Diameter", "mm", "mm")],
    [{"grade": "HRB400", "mm": 12}, {"grade": "HRB500", "mm": 16}, {"grade": "B500B", "mm": 10}],
)
fam(
    "wire_mesh",
    "Metals > Wire Products > Mesh",
    "rolls",
    50,
    30,
    "{title}",
    "{desc}",
    [("Material", "mat", "")],
    [
        {
            "title": "304 Stainless Steel Wire Mesh 100 Mesh Filter",
            "desc": "Woven 304 wire cloth 100 mesh, 1 m x 30 m roll, for filtration.",
            "mat": "304",
            "steel": 304,
        },
        {
            "title": "Welded Wire Mesh Galvanized 1/2 inch Roll",
            "desc": 'Galvanized welded mesh 1/2" opening, 0.9 mm wire, for cages and fences.',
            "mat": "Galvanized steel",
        },
    ],
)

# ---------------------------------------------------------------- medical / PPE
fam(
    "face_mask",
    "Medical > Masks > Face Masks",
    "cartons",
    20,
    25,
    "{title}",
    "{desc}",
    [("Filtration", "fil", ""), ("Standard", "std", "")],
    [
        {
            "title": "3 Ply Disposable Surgical Face Mask Type IIR",
            "desc": "Medical face mask EN14683 type IIR, BFE ≥98%, earloop, 50 pcs/box.",
            "fil": "BFE98",
            "std": "EN14683",
            "ply": 3,
        },
        {
            "title": "FFP2 Respirator Mask CE 2163",
            "desc": "Foldable particle filtering half mask FFP2 NR, EN149:2001+A1, 5 layers.",
            "fil": "FFP2",
            "std": "EN149",
            "resp": True,
        },
        {
            "title": "N95 Respirator NIOSH Approved Cup Shape",
            "desc": "NIOSH N95 cup mask with valve for dust and construction.",
            "fil": "N95",
            "std": "NIOSH",
            "resp": True,
        },
        {
            "title": "KN95 mask 5 layer non medical",
            "desc": "GB2626 KN95 protective mask, earloop.",
            "fil": "KN95",
            "std": "GB2626",
            "resp": True,
        },
    ],
)
fam(
    "hard_hat",
    "Safety > Head Protection > Helmets",
    "pieces",
    200,
    2.2,
    "{title}",
    "{desc}",
    [("Material", "mat", ""), ("Standard", "std", "")],
    [
        {
            "title": "Safety Helmet ABS Hard Hat with Ratchet CE EN397",
            "desc": "Construction helmet, ABS shell, 6-point suspension, ventilated, yellow/white/red.",
            "mat": "ABS",
            "std": "EN397",
        },
        {
            "title": "HDPE hard hat ANSI Z89.1 type 1",
            "desc": "Cheap HDPE safety cap with pinlock suspension.",
            "mat": "HDPE",
            "std": "ANSI Z89.1",
        },
    ],
)
fam(
    "thermometer",
    "Medical > Diagnostics > Thermometers",
    "pieces",
    100,
    5,
    "{title}",
    "{desc}",
    [("Type", "kind", "")],
    [
        {
            "title": "Infrared Forehead Thermometer Non Contact",
            "desc": "Medical IR thermometer for body temperature, 1 s reading, fever alarm, CE.",
            "kind": "infrared",
        },
        {
            "title": "Digital Oral Thermometer Flexible Tip",
            "desc": "Clinical digital thermometer, 60 s reading, waterproof.",
            "kind": "digital",
        },
        {
            "title": "Industrial IR Temperature Gun -50~550°C",
            "desc": "Non-contact laser thermometer for HVAC and cooking, -50 to 550 °C, not for body temperature.",
            "kind": "industrial",
        },
    ],
)
fam(
    "pulse_oximeter",
    "Medical > Diagnostics > Oximeters",
    "pieces",
    100,
    4.5,
    "Fingertip Pulse Oximeter {extra}",
    "SpO2 and pulse rate monitor, {disp} display, 2 x AAA batteries, lanyard.",
    [("Display", "disp", "")],
    [{"disp": "OLED", "extra": "OLED"}, {"disp": "LED", "extra": "Kids Pediatric"}],
)
fam(
    "wheelchair",
    "Medical > Mobility > Wheelchairs",
    "pieces",
    5,
    90,
    "{title}",
    "{desc}",
    [("Frame", "mat", ""), ("Weight", "kg", "kg")],
    [
        {
            "title": "Lightweight Folding Wheelchair Aluminium",
            "desc": 'Manual wheelchair, aluminium frame 12 kg, 24" rear wheels, flip-up armrests, 100 kg load.',
            "mat": "Aluminium",
            "kg": 12,
        },
        {
            "title": "Electric Wheelchair Foldable Lithium 24V",
            "desc": "Power wheelchair with joystick, 2 x 250 W brushless motors, 24 V 12 Ah lithium battery, 20 km range.",
            "mat": "Aluminium",
            "kg": 26,
            "electric": True,
        },
        {
            "title": "Steel Wheelchair Standard Hospital",
            "desc": "Chromed steel frame wheelchair, 18 kg, fixed armrests.",
            "mat": "Steel",
            "kg": 18,
        },
    ],
)
fam(
    "hospital_bed",
    "Medical > Hospital Furniture > Beds",
    "pieces",
    2,
    380,
    "{title}",
    "{desc}",
    [("Functions", "fn", "")],
    [
        {
            "title": "Electric Hospital Bed 3 Function ICU",
            "desc": "Three function electric medical bed, backrest, knee and height, ABS side rails, central locking castors.",
            "fn": 3,
            "electric": True,
        },
        {
            "title": "Manual Hospital Bed 2 Crank",
            "desc": "Two crank manual nursing bed, steel frame, with mattress.",
            "fn": 2,
        },
    ],
)
fam(
    "first_aid_kit",
    "Medical > First Aid > Kits",
    "pieces",
    100,
    6,
    "{title}",
    "{desc}",
    [("Pieces", "pcs", "pcs")],
    [
        {
            "title": "First Aid Kit 120 Pieces Home Car",
            "desc": "Emergency kit bag with bandages, gauze, scissors, CPR mask and blanket.",
            "pcs": 120,
        },
        {
            "title": "Workplace first aid box wall mounted DIN 13157",
            "desc": "Metal first aid cabinet for workplaces, DIN 13157 refill.",
            "pcs": 60,
        },
    ],
)

# ---------------------------------------------------------------- furniture
fam(
    "office_chair",
    "Furniture > Office > Chairs",
    "pieces",
    20,
    45,
    "{title}",
    "{desc}",
    [("Max Load", "kg", "kg")],
    [
        {
            "title": "Ergonomic Mesh Office Chair with Lumbar Support",
            "desc": "High back mesh task chair, adjustable headrest, 3D armrests, synchro tilt, class 4 gas lift, nylon base, 150 kg.",
            "kg": 150,
            "mesh": True,
        },
        {
            "title": "Gaming Chair Racing Style PU Leather",
            "desc": "Reclining gaming chair with footrest, 180° recline, 130 kg.",
            "kg": 130,
            "gaming": True,
        },
        {
            "title": "Executive Leather Office Chair Big and Tall 200kg",
            "desc": "Heavy duty PU leather executive chair, steel base, 200 kg capacity.",
            "kg": 200,
        },
        {
            "title": "Stackable Conference Chair",
            "desc": "Training room chair, steel frame, fabric seat, stackable 8 high.",
            "kg": 120,
            "stack": True,
        },
    ],
)
fam(
    "desk",
    "Furniture > Office > Desks",
    "pieces",
    10,
    110,
    "{title}",
    "{desc}",
    [("Motors", "mot", ""), ("Height Range", "hr", "cm")],
    [
        {
            "title": "Electric Standing Desk Dual Motor 140x70",
            "desc": "Height adjustable sit stand desk, dual motor, 62-127 cm, 4 memory presets, 120 kg load.",
            "mot": 2,
            "hr": "62-127",
            "electric": True,
        },
        {
            "title": "Single motor height adjustable desk frame",
            "desc": "Sit-stand desk frame without top, 1 motor, 72-121 cm.",
            "mot": 1,
            "hr": "72-121",
            "electric": True,
            "frame": True,
        },
        {
            "title": "Office Desk Wooden L Shaped 160cm",
            "desc": "Fixed height executive corner desk, MFC melamine top.",
            "mot": 0,
            "hr": "75",
            "electric": False,
        },
    ],
)
fam(
    "filing_cabinet",
    "Furniture > Office > Storage",
    "pieces",
    20,
    55,
    "{title}",
    "{desc}",
    [("Drawers", "dr", "")],
    [
        {
            "title": "Steel Filing Cabinet 4 Drawer Lockable",
            "desc": "Vertical metal file cabinet, A4 / foolscap, 4 drawers, central lock.",
            "dr": 4,
        },
        {"title": "Mobile pedestal 3 drawer under desk", "desc": "Steel pedestal with castors, 3 drawers.", "dr": 3},
    ],
)
fam(
    "folding_table",
    "Furniture > Commercial > Tables",
    "pieces",
    50,
    18,
    "{title}",
    "{desc}",
    [("Length", "len", "cm")],
    [
        {
            "title": "Folding Table 6ft Plastic HDPE",
            "desc": "Blow-molded HDPE folding table 183 x 76 cm, steel legs, for events and camping.",
            "len": 183,
        },
        {
            "title": "Aluminium Camping Table Roll Up",
            "desc": "Portable roll-top camp table 90 cm.",
            "len": 90,
            "camping": True,
        },
    ],
)
fam(
    "outdoor_sofa",
    "Furniture > Outdoor > Lounge Sets",
    "sets",
    5,
    320,
    "{title}",
    "{desc}",
    [("Seats", "seats", "")],
    [
        {
            "title": "Rattan Garden Sofa Set 5 Seater PE Wicker",
            "desc": "Outdoor patio furniture set, PE rattan on aluminium frame, cushions, coffee table.",
            "seats": 5,
        },
        {"title": "Teak Outdoor Lounge Chair", "desc": "Solid teak garden armchair with cushion.", "seats": 1},
    ],
)

# ---------------------------------------------------------------- machinery
fam(
    "air_compressor",
    "Machinery > Compressors > Air Compressors",
    "units",
    1,
    1500,
    "{title}",
    "{desc}",
    [("Motor Power", "kw", "kW"), ("Pressure", "bar", "bar")],
    [
        {
            "title": "Rotary Screw Air Compressor 7.5kW 10HP",
            "desc": "Industrial screw compressor 7.5 kW, 8 bar, 1.2 m³/min, belt driven, 380 V.",
            "kw": 7.5,
            "bar": 8,
            "screw": True,
        },
        {
            "title": "Screw Compressor 22kW PM VSD",
            "desc": "Permanent magnet variable speed screw compressor 22 kW 30 HP, 3.6 m³/min.",
            "kw": 22,
            "bar": 8,
            "screw": True,
        },
        {
            "title": "Piston Air Compressor 50L 2HP Oil Lubricated",
            "desc": "Direct drive piston compressor 1.5 kW, 50 litre tank, 8 bar, for workshops.",
            "kw": 1.5,
            "bar": 8,
            "tank_l": 50,
        },
        {
            "title": "Oil Free Silent Compressor 24L 750W",
            "desc": "Quiet oilless dental air compressor 24 L, 58 dB.",
            "kw": 0.75,
            "bar": 8,
            "tank_l": 24,
            "oilfree": True,
        },
    ],
)
fam(
    "welder",
    "Machinery > Welding > Welding Machines",
    "units",
    5,
    95,
    "{title}",
    "{desc}",
    [("Welding Current", "a", "A"), ("Input Voltage", "v", "V")],
    [
        {
            "title": "MIG Welder 200A Gasless Flux Core 3 in 1",
            "desc": "Inverter MIG/MAG welding machine, 200 A, also MMA and lift TIG, 220 V, synergic.",
            "a": 200,
            "v": 220,
            "process": "MIG",
        },
        {
            "title": "TIG 200P AC/DC Aluminium Welder Pulse",
            "desc": "AC DC pulse TIG welding machine 200 A for aluminium, with foot pedal.",
            "a": 200,
            "v": 220,
            "process": "TIG",
        },
        {
            "title": "Stick Welder ARC 160A Inverter MMA",
            "desc": "Portable IGBT inverter arc welder 160 A for 2.5-3.2 mm electrodes.",
            "a": 160,
            "v": 220,
            "process": "MMA",
        },
        {
            "title": "Welding Helmet Auto Darkening",
            "desc": "Solar powered auto-darkening welding mask DIN 9-13.",
            "a": None,
            "v": None,
            "helmet": True,
        },
    ],
)
fam(
    "laser_machine",
    "Machinery > Laser Equipment > Cutting & Marking",
    "units",
    1,
    12000,
    "{title}",
    "{desc}",
    [("Laser Power", "w", "W")],
    [
        {
            "title": "Fiber Laser Cutting Machine 1500W 3015",
            "desc": "CNC fiber laser cutter for sheet metal, 1500 W Raycus source, 3000 x 1500 mm bed.",
            "w": 1500,
            "cut": True,
        },
        {
            "title": "3000W Fiber Laser Cutter Exchange Table",
            "desc": "Enclosed fiber laser cutting machine 3 kW, cuts 12 mm carbon steel, 6 mm stainless.",
            "w": 3000,
            "cut": True,
        },
        {
            "title": "Fiber Laser Marking Machine 20W",
            "desc": "Desktop laser engraver for metal nameplates, 20 W, 110 x 110 mm lens.",
            "w": 20,
            "mark": True,
        },
        {
            "title": "CO2 Laser Engraver 100W 1390",
            "desc": "CO2 laser cutting and engraving machine for acrylic and wood, 1300 x 900 mm.",
            "w": 100,
            "co2": True,
        },
    ],
)
fam(
    "forklift",
    "Machinery > Material Handling > Forklifts",
    "units",
    1,
    9000,
    "{title}",
    "{desc}",
    [("Rated Load", "ton", "t"), ("Power", "fuel", "")],
    [
        {
            "title": "Electric Forklift 1.5 Ton Lithium Battery",
            "desc": "Counterbalance electric forklift 1500 kg, 3 m mast, 48 V lithium battery.",
            "ton": 1.5,
            "fuel": "Electric",
        },
        {
            "title": "Diesel Forklift 3 Ton 4.5m Mast",
            "desc": "3000 kg diesel forklift truck, side shift, solid tyres.",
            "ton": 3,
            "fuel": "Diesel",
        },
        {
            "title": "Manual Pallet Jack 2.5T",
            "desc": "Hand pallet truck 2500 kg, polyurethane wheels.",
            "ton": 2.5,
            "fuel": "Manual",
            "jack": True,
        },
    ],
)
fam(
    "concrete_mixer",
    "Machinery > Construction > Concrete Mixers",
    "units",
    2,
    320,
    "Concrete Mixer {l}L {extra}",
    "Drum concrete mixer {l} litre, {motor}, steel drum, pneumatic wheels.",
    [("Drum Capacity", "l", "L")],
    [
        {"l": 350, "motor": "diesel engine", "extra": "Diesel"},
        {"l": 160, "motor": "800 W electric motor", "extra": "Electric 800W"},
    ],
)
fam(
    "sealing_machine",
    "Machinery > Packaging Machines > Sealers & Fillers",
    "units",
    1,
    60,
    "{title}",
    "{desc}",
    [("Seal Width", "mm", "mm")],
    [
        {
            "title": "Impulse Heat Sealer 300mm for Plastic Bags",
            "desc": "Hand press heat sealing machine 300 mm, 2 mm seal.",
            "mm": 300,
        },
        {
            "title": "Continuous Band Sealer FR-900",
            "desc": "Horizontal continuous sealing machine with date printer.",
            "mm": 10,
        },
        {
            "title": "Liquid Filling Machine Semi Automatic 100-1000ml",
            "desc": "Pneumatic piston filler for water, oil, shampoo, 100-1000 ml.",
            "mm": None,
            "filler": True,
        },
    ],
)

# ---------------------------------------------------------------- a few more near-duplicates
_BY = {f["type"]: f for f in F}
_BY["solar_panel"]["variants"].append(
    {
        "w": 200,
        "cellt": "Mono",
        "cellt2": "monocrystalline",
        "cells": "66 full",
        "half": False,
        "eff": 19.5,
        "extra": "12V Off Grid",
        "tech": "mono",
    }
)
_BY["power_bank"]["variants"].append(
    {
        "mah": 20000,
        "pd": "22.5W fast charge",
        "pdw": 22.5,
        "ports": "USB-C and 2 USB-A",
        "extra": "Power Bank 22.5W Digital Display",
    }
)
_BY["lifepo4_battery"]["variants"].append(
    {"v": 12, "ah": 50, "kwh": 0.64, "extra": "Small", "use": "For fish finders, kayaks and small solar lights."}
)
_BY["high_bay"]["variants"].append(
    {
        "title": "240W UFO Highbay IP66 -40°C Cold Storage",
        "desc": "LED UFO high bay for freezers and cold storage, 240 W, IP66, working temperature -40~50°C.",
        "w": 240,
        "lmw": 150,
        "ip": "IP66",
        "ipn": 66,
        "round": True,
        "tmin": -40,
        "tmax": 50,
    }
)
_BY["ball_valve"]["variants"].append(
    {
        "title": "3/4 inch brass ball valve PN25 red handle",
        "desc": "DN20 forged brass, full port, female x female.",
        "inch": 0.75,
        "mat": "Brass",
        "pn": 25,
    }
)
_BY["kettle"]["variants"].append(
    {"l": 2.0, "w": 1800, "mat": "201 stainless steel", "steel": 201, "extra": "Big Capacity"}
)
_BY["drill_bit"]["variants"].append(
    {
        "title": "Step Drill Bit HSS 4-32mm Cone",
        "desc": "Hex shank step bit for sheet metal holes 4-32 mm.",
        "mat": "HSS",
        "pcs": 1,
        "for": "metal",
        "step": True,
    }
)
fam(
    "solar_flood_light",
    "Lighting > Outdoor > Solar Flood Lights",
    "pieces",
    50,
    12,
    "Solar Flood Light {w}W {ip} Remote Control",
    "Split solar floodlight with separate panel and 5 m cable, {w} W nominal, {ip}, LiFePO4 battery, timer remote. Working temperature {tmin}~{tmax}°C.",
    [("Power", "w", "W"), ("Ingress Protection", "ip", "")],
    [
        {"w": 100, "ip": "IP67", "ipn": 67, "tmin": -20, "tmax": 60},
        {"w": 300, "ip": "IP66", "ipn": 66, "tmin": -20, "tmax": 60},
    ],
)
