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
# # Attendance and post holders across meetings
#
# `attendance` has one row per person per meeting (one document per meeting);
# `post_holders` tells who held each post when. The same person is one person_id
# across spellings (田中 斉 / 田中 齊).

# %%
from _common import plt, query, save

att = query("select held_on, person_id, person, side, post, by_proxy from attendance order by held_on, side, post")
meetings = sorted(att["held_on"].unique())
att.groupby("held_on").size().rename("出席者数")

# %%
assert len(meetings) >= 2, "two meetings expected"
changes = query("""
    select post, side, list(person order by first_seen) as holders, count(*) as n
    from post_holders group by post, side having count(*) > 1 order by side, post
""")
changes

# %%
grid = att.assign(mark=att["by_proxy"].map({True: 0.5, False: 1.0})).pivot_table(
    index=["side", "post", "person"], columns="held_on", values="mark", aggfunc="max", fill_value=0)
grid = grid.sort_index()
fig, ax = plt.subplots(figsize=(6, max(6, 0.22 * len(grid))))
ax.imshow(grid.values, aspect="auto", cmap="Greens", vmin=0, vmax=1)
ax.set_xticks(range(len(grid.columns)))
ax.set_xticklabels([f"{d:%Y-%m-%d}" for d in grid.columns])
ax.set_yticks(range(len(grid)))
ax.set_yticklabels([f"{post}　{person}" for _, post, person in grid.index], fontsize=7)
ax.set_title("本部会議の出席状況（濃い緑＝出席、薄い緑＝代理出席）")
save(fig, "attendance")

# %%
fig, ax = plt.subplots(figsize=(8, 4))
counts = att.groupby(["held_on", "side"]).size().unstack(fill_value=0)
counts.index = [f"{d:%Y-%m-%d}" for d in counts.index]
counts.plot(kind="bar", stacked=True, ax=ax, rot=0)
ax.set_ylabel("人数")
ax.set_xlabel("会議日")
ax.set_title("会議ごとの出席者数（市町村等・県）")
ax.legend(title="区分")
save(fig, "attendance_counts")
