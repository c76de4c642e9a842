# ruff: noqa: E501 -- the texts are kept whole, exactly as in the JSON, so the completeness test can match them
"""Every buyer-facing text of the shipped rulesets (rankings/rulesets/*.json), so makemessages extracts it.

Ruleset text is data; pages translate it when they render it (`{% translate pillar.label %}`, display.board_rows).
A catalog keyed by the English text keeps old methodology versions translated as long as their wording is unchanged.
tests/rankings/test_display.py fails when a ruleset gains a text that is missing here.
"""

from django.utils.translation import gettext_noop

MESSAGES = (
    gettext_noop("Fastest responders"),
    gettext_noop("Silkway methodology. Measured from buyer inquiries on the platform."),
    gettext_noop(
        "Suppliers with at least 5 inquiries in the last 90 days are ranked. The 24-hour response rate is decayed (90-day half-life) and shrunk toward the category, so one lucky reply does not beat a long record; the median first-response time is the supplier's median over the last 90 days."
    ),
    gettext_noop("Answers every inquiry"),
    gettext_noop("Answers fast"),
    gettext_noop("Handles volume"),
    gettext_noop("Inquiries answered within 24 h (shrunk toward the category)"),
    gettext_noop("Answer every inquiry within 24 hours."),
    gettext_noop("Median first-response time (minutes, lower is better)"),
    gettext_noop("Reply sooner; set up notifications for new inquiries."),
    gettext_noop("Inquiries answered in the last 90 days"),
    gettext_noop("Keep answering as volume grows."),
    gettext_noop("Specialized & Innovative index (structure of MIIT 2022 No. 63, Annex 2)"),
    gettext_noop(
        "工业和信息化部《优质中小企业梯度培育管理暂行办法》(工信部企业〔2022〕63号) 附件2：专精特新中小企业认定标准 — 4 classes, 13 indicators, 100 points. The Distinctiveness class is set by each province; Silkway substitutes its own platform indicators, marked as ours."
    ),
    gettext_noop(
        "This index follows the structure of the government scheme so buyers can read it; it is not a government certification. A supplier's real designation is shown separately, as an operator-verified badge."
    ),
    gettext_noop("Specialization (专业化)"),
    gettext_noop("Refinement (精细化)"),
    gettext_noop("Distinctiveness (特色化, Silkway indicators)"),
    gettext_noop("Innovation (创新能力)"),
    gettext_noop("Years in the niche market"),
    gettext_noop("One point per full two years in your niche, up to five."),
    gettext_noop("Business licence history or first sales contracts in the niche."),
    # xgettext:no-python-format
    gettext_noop("Main business share of revenue (%)"),
    # xgettext:no-python-format
    gettext_noop("Focus: ≥80% of revenue from the main business scores 5, 70–80% 3, 60–70% 1."),
    gettext_noop("Audited income statement with revenue by business line."),
    # xgettext:no-python-format
    gettext_noop("Main-business revenue growth, 2-year average (%)"),
    # xgettext:no-python-format
    gettext_noop(
        "≥10% average growth over two years scores 10; each 2-point band below scores 2 less; a decline scores 0."
    ),
    gettext_noop("Audited statements for the last three fiscal years."),
    gettext_noop("Main product's field"),
    gettext_noop("Products that fill a supply-chain gap score 5; the industrial 'six foundations' fields 3."),
    gettext_noop("A customer or industry-association letter describing the product's role in the chain."),
    gettext_noop("Digitalization level (SME digital maturity, 1–4)"),
    gettext_noop("Level 3 or above scores 5, level 2 scores 3."),
    gettext_noop("The SME digital-maturity assessment report."),
    gettext_noop("Quality management (award, ISO 9001-type certificate, own brand, standards)"),
    gettext_noop(
        "3 points for each of: a provincial or higher quality award, a valid ISO 9001-type certificate, an own brand, a standard you helped draft (at most 5)."
    ),
    gettext_noop(
        "Upload your ISO 9001 (or ISO 13485) certificate under Certifications; award certificates, trademark registration or the standard's cover page."
    ),
    # xgettext:no-python-format
    gettext_noop("Net profit margin (%)"),
    # xgettext:no-python-format
    gettext_noop("≥10% scores 10, then 2 points less per 2-point band; below 2% scores 0."),
    gettext_noop("Audited income statement."),
    # xgettext:no-python-format
    gettext_noop("Debt-to-asset ratio (%)"),
    # xgettext:no-python-format
    gettext_noop("Below 50% scores 5, 50–60% 3, 60–70% 1."),
    gettext_noop("Audited balance sheet."),
    # xgettext:no-python-format
    gettext_noop("Share of the category's buyer inquiries on Silkway (%)"),
    gettext_noop(
        "Measured by Silkway over the last 365 days: answer inquiries fast and keep listings complete to draw demand."
    ),
    gettext_noop("Nothing to upload: measured on the platform."),
    gettext_noop("Customization capability (OEM, ODM, packaging, samples)"),
    gettext_noop("Three or more of OEM, ODM, custom packaging and samples score 5."),
    gettext_noop("Declare them on your storefront profile."),
    gettext_noop("Export-market breadth (markets served)"),
    gettext_noop("Ten or more export markets score 5, 5–9 score 3, 2–4 score 1."),
    gettext_noop("List your export markets on your storefront profile."),
    gettext_noop("Intellectual property for the main product"),
    gettext_noop(
        "A high-value class-I IP right scores 10, a self-developed class-I right (invention patent, software copyright, new plant variety…) 8, any class-I right 6, class-II rights only (utility models, designs) 2."
    ),
    gettext_noop("Patent certificates naming the company, and the product they protect."),
    # xgettext:no-python-format
    gettext_noop("R&D spend last year (CNY, or % of revenue)"),
    # xgettext:no-python-format
    gettext_noop("≥¥5M or ≥10% of revenue scores 10; the bands step down to ¥1–2M or 3–4% for 2 points."),
    gettext_noop("The R&D expense ledger or the tax super-deduction filing."),
    # xgettext:no-python-format
    gettext_noop("R&D staff share (%)"),
    # xgettext:no-python-format
    gettext_noop("≥20% of staff in R&D scores 5, 10–20% 3, 5–10% 1."),
    gettext_noop("Staff and R&D staff counts on your storefront profile; a social-insurance roster on request."),
    gettext_noop("R&D institution level"),
    gettext_noop("A national-level R&D centre scores 10, provincial 8, municipal 4, lower 2."),
    gettext_noop("The accreditation document of your R&D centre."),
    gettext_noop("In the niche market for 2 years or more"),
    # xgettext:no-python-format
    gettext_noop("R&D spend ≥ ¥1M and ≥ 3% of revenue"),
    gettext_noop("Revenue ≥ ¥10M (or ≥ ¥20M new equity financing in 2 years)"),
    gettext_noop("Index score of 60 or more"),
    gettext_noop("Top factories"),
    gettext_noop("Silkway methodology, for buyers who want to deal with the manufacturer itself."),
    gettext_noop(
        "Only factories (and factories with an export arm) that Silkway has verified are ranked. Scale figures are self-declared until an on-site check; verification level and checked certificates are document-verified; on-time delivery is platform-derived (empty until orders launch). Every input is turned into its percentile within the category."
    ),
    gettext_noop("Production scale"),
    gettext_noop("Verification"),
    gettext_noop("Track record"),
    gettext_noop("Delivery"),
    gettext_noop("Factory area (m²)"),
    gettext_noop("Declare your factory area; an on-site check turns it into a verified figure."),
    gettext_noop("Staff"),
    gettext_noop("Declare your headcount on your storefront profile."),
    gettext_noop("Production lines"),
    gettext_noop("Add your production capacities with their number of lines."),
    gettext_noop("Verification level (licence 1, on-site 2, third-party 3)"),
    gettext_noop("Ask Silkway for an on-site check or a third-party assessment."),
    gettext_noop("Certificates checked by Silkway"),
    gettext_noop("Upload certificate documents so Silkway can check them."),
    gettext_noop("Years in business"),
    gettext_noop("Set your founding year on your profile."),
    gettext_noop("Years exporting"),
    gettext_noop("Set how many years you have exported."),
    gettext_noop("On-time delivery (shrunk toward the category)"),
    gettext_noop("Ship Silkway orders by the promised date."),
    gettext_noop("Top suppliers (platform activity)"),
    gettext_noop("Silkway methodology. Every input is measured on the platform; nothing self-declared counts."),
    gettext_noop(
        "Activity is exponentially decayed with a 90-day half-life (in 30-day steps over the last 360 days). Rates are shrunk toward the category (Beta-binomial), ratings are a Bayesian average in which each buyer counts once per supplier, and every estimate is turned into its percentile within the category, which is scale-free (ordering by log-scaled order value and by raw value is the same). Order-based inputs come from completed orders on Silkway; until orders launch these are empty and no supplier reaches the coverage this board needs."
    ),
    gettext_noop("Orders and growth"),
    gettext_noop("Buyer ratings"),
    gettext_noop("Responsiveness"),
    gettext_noop("Completed orders (decayed)"),
    gettext_noop("Complete orders through Silkway; orders outside the platform cannot be counted."),
    gettext_noop("Order value, USD (decayed)"),
    gettext_noop("Order value through Silkway escrow."),
    # xgettext:no-python-format
    gettext_noop("Buyer demand growth, last 90 days vs the 90 before (%)"),
    gettext_noop("Grows with new inquiries: complete listings in more languages draw more buyers."),
    gettext_noop("Ship by the promised date; a few late orders weigh less once you have many on time."),
    gettext_noop("Dispute rate (shrunk toward the category, lower is better)"),
    gettext_noop("Agree specifications in the contract and share pre-shipment inspection photos."),
    gettext_noop("Buyer rating (Bayesian average, one vote per buyer)"),
    gettext_noop("Ratings from many different buyers count; repeated ratings from one buyer count once."),
    gettext_noop("Reply faster: the median of your first replies over the last 90 days."),
)
