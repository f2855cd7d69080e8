# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Working-group activity per item and fiscal year
#
# `wg_activity` counts each WG date once per item, even when two packets list it.

# %%
from _common import plt, query, save

activity = query("select item, fiscal_year, meetings, held, planned from wg_activity order by item, fiscal_year")
activity

# %%
assert activity["fiscal_year"].nunique() >= 2, "WG dates of at least two fiscal years expected"
table = activity.pivot_table(index="item", columns="fiscal_year", values="held", aggfunc="sum", fill_value=0)
planned = activity.pivot_table(index="item", columns="fiscal_year", values="planned", aggfunc="sum", fill_value=0)
fig, ax = plt.subplots(figsize=(10, 5))
years = list(table.columns)
width = 0.8 / len(years)
colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
for i, fy in enumerate(years):
    x = [k + i * width for k in range(len(table))]
    color = colors[i % len(colors)]
    ax.barh(x, table[fy], height=width, color=color, label=f"{fy}年度（令和{fy - 2018}年度）開催")
    if fy in planned and planned[fy].sum():
        ax.barh(x, planned[fy], left=table[fy], height=width, color=color, alpha=0.35, hatch="//",
                label=f"{fy}年度 予定")
ax.set_yticks([k + width * (len(years) - 1) / 2 for k in range(len(table))])
ax.set_yticklabels(table.index)
ax.invert_yaxis()
ax.set_xlabel("WG・担当者会議の開催回数")
ax.set_title("連携推進項目別 WG開催状況（年度別）")
ax.legend(loc="lower right")
ax.grid(axis="x", alpha=0.3)
ax.margins(x=0.08)
save(fig, "wg_activity")

# %% [markdown]
# One item's WG dates over both fiscal years:

# %%
query("""
    select i.title as item, w.fiscal_year, w.held_on, w.date_text, w.track, w.label, w.planned
    from wg_meetings w join items i using (item_id) join meeting_documents using (doc_id)
    where w.item_id = (select item_id from wg_activity group by item_id order by count(*) desc, item_id limit 1)
    order by w.held_on
""")
