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
# # KPI progress across years per collaboration item
#
# Figures the packets report (e.g. マイナンバーカード交付率) from `kpi_series`: one
# line per metric that was reported at more than one date, grouped by item.

# %%
from _common import plt, query, save

series = query("""
    select item, metric, unit, scope, segment, kind, as_of, value, reported_on
    from kpi_series
    where item is not null and kind = 'actual'
    qualify count(distinct as_of) over (partition by item, metric, unit, coalesce(segment, '')) > 1
    order by item, metric, as_of
""")
series

# %%
assert len(series) > 0, "no KPI reported at two dates or more: is the warehouse built from both sample years?"
groups = list(series.groupby(["item", "metric", "unit"], sort=True))
fig, axes = plt.subplots(len(groups), 1, figsize=(9, 3.6 * len(groups)), squeeze=False)
for ax, ((item, metric, unit), df) in zip(axes[:, 0], groups):
    df = df.drop_duplicates(["as_of", "value"]).sort_values("as_of")
    ax.plot(df["as_of"], df["value"], marker="o", linewidth=2)
    for x, y in zip(df["as_of"], df["value"]):
        ax.annotate(f"{y:g}{unit}", (x, y), textcoords="offset points", xytext=(0, 8), ha="center")
    ax.set_title(f"{item}：{metric}")
    ax.set_ylabel(unit)
    ax.set_xlabel("時点")
    ax.grid(alpha=0.3)
fig.suptitle("連携推進項目のKPI推移（年度をまたいだ比較）", fontsize=15)
fig.tight_layout()
save(fig, "kpi_progress")

# %% [markdown]
# Every figure of one item, latest report first (targets included):

# %%
query("""
    select item, metric, value, unit, kind, as_of, reported_on
    from kpi_series where item is not null
    order by item, reported_on desc, metric
""").head(40)
