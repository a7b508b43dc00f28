"""Every string the pages show, in Chinese (the default) and English.

One table holds both languages side by side, so a key can't exist in one and not the other;
:data:`ZH` and :data:`EN` are the dict of each language. Keys are grouped by prefix:
``col.`` a result column, ``q.`` a catalog query's title, ``qd.`` its description, ``v.`` a
stored value (coverage, organization kind, formation, label); the rest are page texts.
Areas with many strings keep them in their own part under :mod:`api.messages`, merged here.
"""

from __future__ import annotations

from typing import Any

from api.messages import PARTS

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

_T: dict[str, tuple[str, str]] = {
    "app.title": ("汽开区非公党建组织网络", "Zone party-building network"),
    "nav.dashboard": ("总览", "Dashboard"),
    "nav.gaps": ("覆盖缺口", "Coverage gaps"),
    "nav.network": ("组织网络", "Network"),
    "nav.alliances": ("党建联盟", "Alliances"),
    "nav.rules": ("规则检查", "Rule checks"),
    "nav.queries": ("查询", "Queries"),
    "nav.import": ("导入", "Import"),
    "nav.audit": ("操作记录", "Audit trail"),
    "nav.lang": ("语言", "Language"),
    # signing in
    "auth.title": ("登录", "Sign in"),
    "auth.username": ("用户名", "User name"),
    "auth.password": ("密码", "Password"),
    "auth.submit": ("登录", "Sign in"),
    "auth.logout": ("退出", "Sign out"),
    "auth.wrong": ("用户名或密码错误。", "Wrong user name or password."),
    "auth.locked": (
        "登录失败次数过多，账号已暂时锁定，请 {minutes} 分钟后再试。",
        "Too many failed sign-ins: the account is locked; try again in {minutes} minutes.",
    ),
    "auth.help": (
        "没有账号？请联系系统管理员（zonegraph user add）。",
        "No account? Ask the administrator (zonegraph user add).",
    ),
    "auth.forbidden": (
        "您的账号（{role}）无权进行此操作，需要“{rule}”权限。",
        "Your account ({role}) may not do this: it needs the {rule} role.",
    ),
    "auth.csrf": (
        "表单已过期或来自其他网站，请刷新页面后重试。",
        "The form is out of date or came from another site: reload the page and try again.",
    ),
    "auth.street": (
        "您只能修改所辖街道（{streets}）的企业：{what}",
        "You may change firms of your streets ({streets}) only: {what}",
    ),
    "role.viewer": ("查看", "viewer"),
    "role.organizer": ("组织员", "organizer"),
    "role.admin": ("管理员", "admin"),
    # common
    "c.all": ("全部", "all"),
    "c.apply": ("筛选", "Filter"),
    "c.run": ("运行", "Run"),
    "c.reset": ("清除", "Clear"),
    "c.rows": ("共 {n} 行", "{n} rows"),
    "c.firms_n": ("{n} 家企业", "{n} firms"),
    "c.shown": (
        "显示前 {shown} 行，共 {n} 行；完整结果请下载。",
        "Showing {shown} of {n} rows; download for all.",
    ),
    "c.download": ("下载", "Download"),
    "c.csv": ("CSV 表格", "CSV"),
    "c.xlsx": ("Excel 表格", "Excel"),
    "c.empty": ("没有符合条件的记录。", "No rows match."),
    "c.yes": ("是", "yes"),
    "c.no": ("否", "no"),
    "c.error": ("出错了", "Something went wrong"),
    # errors a page answers for the web layer (a domain error shows its own message)
    "e.404": ("没有这个页面。", "There is no such page."),
    "e.405": ("这个地址不接受这种请求。", "This address does not take this kind of request."),
    "e.413": ("提交的内容过大，没有被接收。", "What was sent is too large and was not accepted."),
    "e.422": ("请求的参数不正确：{detail}", "The request's parameters are wrong: {detail}"),
    "e.500": ("服务器出错了，详情见服务器日志。", "The server failed; see its log."),
    "c.loading": ("加载中…", "Loading…"),
    "c.sort_hint": ("点击列标题排序", "Click a column heading to sort"),
    "c.back": ("返回总览", "Back to the dashboard"),
    "c.open_network": ("在网络中查看", "Show in the network"),
    # dashboard
    "d.title": ("全区党建覆盖总览", "The zone at a glance"),
    "d.firms": ("在营企业", "Operating firms"),
    "d.closed": ("已注销 {n} 家", "{n} closed"),
    "d.org_rate": ("组织覆盖率", "Organizational coverage"),
    "d.org_rate_sub": ("单独组建 + 联合覆盖", "own + joint organizations"),
    "d.own_rate": ("单独组建率", "Own-organization rate"),
    "d.own_rate_sub": ("{n} 家单独建立党组织", "{n} firms with their own"),
    "d.uncovered": ("未覆盖企业", "Uncovered firms"),
    "d.uncovered_sub": ("既无组织覆盖也无工作覆盖", "neither organization nor work"),
    "d.studios": ("指导不足5家的工作室", "Studios below five firms"),
    "d.studios_sub": ("共 {n} 个老书记工作室", "of {n} old-secretary studios"),
    "d.should": ("应单独组建", "Should form a branch"),
    "d.should_sub": ("党员≥3人但未单独建立组织", "≥3 members, no own organization"),
    "d.by_street": ("各街道覆盖情况", "Coverage by street"),
    "d.chart_note": (
        "条形为在营企业构成；右侧为组织覆盖率",
        "Bars split each street's operating firms; the figure is the organizational coverage rate",
    ),
    "d.top_gaps": (
        "优先走访：党员最多的未覆盖企业",
        "Visit first: uncovered firms with the most members",
    ),
    "d.lists": ("全部清单", "Every list"),
    "d.below": ("不足5家的工作室", "Studios below five"),
    # coverage words used in charts and legends
    "cov.org": ("组织覆盖", "organization"),
    "cov.work_only": ("仅工作覆盖", "work only"),
    "cov.uncovered": ("未覆盖", "uncovered"),
    # gaps
    "g.title": ("未覆盖企业", "Uncovered firms"),
    "g.intro": (
        "既无党组织覆盖、也无党建工作覆盖的在营企业。",
        "Operating firms reached neither by a party organization nor by party work.",
    ),
    "g.min_members": ("党员数不少于", "At least this many members"),
    # network
    "n.title": ("组织网络", "Organization network"),
    "n.scope": ("范围", "Scope"),
    "n.kind.zone": ("全区", "whole zone"),
    "n.kind.street": ("街道", "street"),
    "n.kind.grid": ("网格", "grid"),
    "n.kind.park": ("园区", "park"),
    "n.kind.industry": ("行业", "industry"),
    "n.kind.alliance": ("党建联盟", "alliance"),
    "n.kind.firm": ("企业及其供应链", "firm and its supply chain"),
    "n.firm_id": ("企业编号", "Firm id"),
    "n.hops": ("供应链层数", "Supply-link hops"),
    "n.size_by": ("节点大小", "Node size"),
    "n.size.employees": ("职工人数", "employees"),
    "n.size.party_members": ("党员人数", "party members"),
    "n.show": ("显示", "Show"),
    "n.search": ("按名称查找企业", "Find a firm by name"),
    "n.search_btn": ("查找", "Find"),
    "n.no_match": ("没有找到企业。", "No firm found."),
    "n.legend": ("图例", "Legend"),
    "n.edges": (
        "连线：箭头为供应关系，彩色为覆盖、指导、联盟和联络关系",
        "Lines: arrows are supply links; coloured ones coverage, guidance, alliance and liaison",
    ),
    "n.aggregated": (
        "范围内 {firms} 家企业超过显示上限，已按{by}汇总为 {n} 个节点；点击汇总节点展开。",
        "{note}",
    ),
    "n.partial": (
        "该网格 {firms} 家企业超过显示上限，只显示规模最大的 {n} 家；完整名单见查询列表。",
        "{note}",
    ),
    "n.by.grid": ("网格", "grid"),
    "n.by.street": ("街道", "street"),
    "n.summary": (
        "{firms} 家企业，{nodes} 个节点，{edges} 条连线",
        "{firms} firms, {nodes} nodes, {edges} lines",
    ),
    "n.profile": ("企业档案", "Firm profile"),
    "n.click_hint": (
        "点击企业查看档案；点击汇总节点展开该范围。",
        "Click a firm for its profile; click an aggregate to open it.",
    ),
    "n.full_profile": ("完整档案", "Full profile"),
    "n.neighbourhood": ("查看其供应链周边", "Show its supply-chain neighbourhood"),
    "n.orgs": ("覆盖组织", "Organizations"),
    "n.links": ("供应商 {s} 家，客户 {c} 家", "{s} suppliers, {c} customers"),
    # alliances
    "a.title": ("党建联盟规划", "Alliance planner"),
    "a.alliance": ("联盟", "Alliance"),
    "a.k": ("推荐数量", "Recruits to pick"),
    "a.list": ("全部联盟", "All alliances"),
    "a.reach": ("联盟辐射范围", "Reach along supply links"),
    "a.reach_sum": (
        "{hops} 层供应链内共 {n} 家企业，其中 {u} 家未组织覆盖",
        "{n} firms within {hops} hops, {u} of them without organizational coverage",
    ),
    "a.by_distance": ("按距离统计", "By distance"),
    "a.candidates": ("辐射范围内的候选企业", "Candidates within reach"),
    "a.next": ("建议下一批吸收的企业", "Who to bring in next"),
    "a.overlap": ("联盟重叠热力图", "Where alliances overlap"),
    "a.overlap_note": (
        "格内为共同辐射企业数，颜色深浅为杰卡德相似度",
        "Cells show firms reached by both; colour is the Jaccard similarity",
    ),
    "a.try": ("试算加入", "Try adding"),
    "a.whatif": ("假设分析（不写入数据库）", "What if (nothing is written)"),
    "a.op": ("操作", "Change"),
    "a.op.add": ("增加", "add"),
    "a.op.remove": ("删除", "remove"),
    "a.table": ("数据表", "Table"),
    "a.table.alliance_members": ("联盟成员", "alliance member"),
    "a.table.coverage": ("覆盖关系", "coverage row"),
    "a.compare": ("比较内容", "Compare"),
    "a.compare.summary": ("全区覆盖指标", "zone summary"),
    "a.add_change": ("加入变更列表", "Add to the list"),
    "a.changes": ("变更列表", "Changes"),
    "a.changes_empty": (
        "列表为空时，试算上面表单中的一项变更。",
        "With an empty list, the change in the form above is tried.",
    ),
    "a.run": ("试算前后对比", "Compare before and after"),
    "a.no_diff": ("这些变更不改变结果。", "These changes change nothing here."),
    "a.coverer_id": ("覆盖单位编号", "Coverer id"),
    "a.network": ("在网络中查看该联盟", "Show this alliance in the network"),
    # firm
    "f.basics": ("基本情况", "Basics"),
    "f.orgs": ("覆盖它的党组织和工作室", "Organizations and studios that cover it"),
    "f.liaisons": ("联络员", "Liaisons"),
    "f.alliances": ("所在联盟", "Alliances"),
    "f.suppliers": ("供应商", "Suppliers"),
    "f.customers": ("客户", "Customers"),
    "f.detail": ("说明", "Detail"),
    "f.key_firm": ("重点企业", "Key firm"),
    "f.star": ("星级", "Star rating"),
    "f.status": ("状态", "Status"),
    "f.community": ("社区", "Community"),
    "f.park": ("园区", "Park"),
    "f.edit": ("编辑基本情况", "Edit the basics"),
    "f.save": ("保存", "Save"),
    "f.saved": ("已保存。", "Saved."),
    "f.nothing_changed": ("没有修改任何内容。", "Nothing was changed."),
    "f.refused": (
        "未保存，数据库没有任何改动：请按提示修改。",
        "Not saved, and nothing in the database changed: see the notes.",
    ),
    "f.blank": ("（空）", "(blank)"),
    "f.register": ("工商登记信息", "From the enterprise register"),
    "f.register_note": (
        "来自工商登记导出，只读；重新导入登记导出时更新。",
        "From the register export; read-only here, updated when an export is imported.",
    ),
    "f.add_coverage": ("增加覆盖关系", "Add coverage"),
    "f.coverer_id": ("覆盖单位编号", "Coverer id"),
    "f.coverer_hint": (
        "党组织、老书记工作室或党建指导员的编号",
        "The id of a party organization, studio or instructor",
    ),
    "f.add": ("增加", "Add"),
    "f.remove": ("移除", "Remove"),
    "f.add_liaison": ("增加联络员", "Add a liaison"),
    "f.liaison_id": ("联络员编号", "Liaison id"),
    "f.liaison_name": ("姓名", "Name"),
    "f.liaison_hint": (
        "填编号（新联络员可同时填姓名），或只填已有联络员的姓名",
        "An id (with a name for a new liaison), or just an existing liaison's name",
    ),
    "f.form_too_large": (
        "提交的表单超过 {kb} KB，没有被接收。",
        "The form sent is over {kb} KB and was not accepted.",
    ),
    # import
    "imp.title": ("导入数据", "Import data"),
    "imp.intro": (
        "上传台账、标准数据表工作簿、CSV 文件压缩包或工商登记导出。"
        "系统会先逐项检查并预览将要发生的变化，确认后才写入数据库。",
        "Upload a ledger, a contract workbook, a zip of contract CSV files or a register "
        "export. It is checked and previewed first; nothing is written until you confirm.",
    ),
    "imp.file": ("选择文件", "File"),
    "imp.accepts": (
        "可以上传 .xlsx 工作簿、内含 CSV 文件的 .zip 压缩包或 .csv 文件，最大 {mb} MB。",
        "An .xlsx workbook, a .zip of CSV files or a .csv file, up to {mb} MB.",
    ),
    "imp.check": ("上传并检查", "Upload and check"),
    "imp.uploading": ("正在上传并检查，请稍候…", "Uploading and checking…"),
    "imp.too_large": (
        "文件超过 {mb} MB 的上传上限，没有被接收。请把文件拆小，或请管理员调高上限。",
        "The file is over the {mb} MB upload limit and was not accepted. Split it, or ask "
        "the administrator to raise the limit.",
    ),
    "imp.no_file": ("请选择要上传的文件。", "Choose a file to upload."),
    "imp.bad_upload": (
        "上传的内容无法识别：请通过本页的表单上传文件。",
        "The upload could not be read: send the file from this page's form.",
    ),
    "imp.cut_off": ("上传没有完成，请重新上传。", "The upload did not finish; upload it again."),
    "imp.expired": (
        "这次上传已过期或已处理（上传的文件只保留一小时），请重新上传。",
        "This upload has expired or was already handled (uploads are kept for an hour); "
        "upload the file again.",
    ),
    "imp.kind": ("文件类型", "Kind"),
    "imp.kind.contract": ("标准数据表", "contract tables"),
    "imp.kind.ledger": ("台账", "ledger"),
    "imp.kind.register": ("工商登记导出", "register export"),
    "imp.source": ("文件", "File"),
    "imp.report_title": (
        "文件有问题，没有写入任何数据",
        "The file has problems; nothing was written",
    ),
    "imp.report_intro": (
        "共 {n} 个问题。请按下表逐条修改文件，然后重新上传。",
        "{n} problem(s). Correct each one in the file, then upload it again.",
    ),
    "imp.col.file": ("文件或工作表", "File or sheet"),
    "imp.col.line": ("行", "Line"),
    "imp.col.column": ("列", "Column"),
    "imp.col.value": ("填写的内容", "Value"),
    "imp.col.reason": ("问题", "Problem"),
    "imp.reupload": ("修改后重新上传", "Upload the corrected file"),
    "imp.preview_title": ("导入预览（尚未写入）", "Preview (nothing written yet)"),
    "imp.whole_zone": (
        "数据库目前是空的：确认后，这个文件将作为全区数据整体写入。",
        "The database is empty: confirming writes this file as the whole zone.",
    ),
    "imp.counts": ("各数据表的变化", "Changes per table"),
    "imp.table": ("数据表", "Table"),
    "imp.new": ("新增", "new"),
    "imp.changed": ("修改", "changed"),
    "imp.closed": ("注销", "closed"),
    "imp.unchanged": ("无变化", "unchanged"),
    "imp.removed": ("删除", "removed"),
    "imp.renamed": ("编号变更", "Ids changed"),
    "imp.rows_of": (
        "{table}：前 {shown} 行（共 {n} 行有变化）",
        "{table}: the first {shown} of {n} rows that change",
    ),
    "imp.rows_all": ("{table}：{n} 行有变化", "{table}: {n} rows change"),
    "imp.key": ("编号", "Key"),
    "imp.change": ("变化", "Change"),
    "imp.detail": ("内容（原值 → 新值）", "Values (before → after)"),
    "imp.nothing": (
        "文件和数据库中的数据一致，没有需要写入的内容。",
        "The file matches what is stored; there is nothing to write.",
    ),
    "imp.warnings": ("提示（不影响导入）", "Warnings (they do not stop the import)"),
    "imp.notes": ("说明", "Notes"),
    "imp.confirm": ("确认写入", "Confirm and write"),
    "imp.cancel": ("放弃这次导入", "Discard this upload"),
    "imp.confirm_note": (
        "确认后在一个事务中写入：要么全部写入，要么全都不写。",
        "Confirming writes it in one transaction: all of it or none of it.",
    ),
    "imp.conflict": (
        "预览之后数据库有了变化，下面是重新生成的预览；请核对后再次确认。",
        "The database changed since the preview; here is a new one. Check it and confirm again.",
    ),
    "imp.done_title": ("导入完成", "Imported"),
    "imp.progress_title": ("正在导入", "Importing"),
    "imp.progress_check": (
        "正在检查文件 {source}，本页每秒刷新。",
        "Checking {source}; this page refreshes every second.",
    ),
    "imp.progress_commit": (
        "正在写入，本页每秒刷新。",
        "Writing; this page refreshes every second.",
    ),
    "imp.progress_rows": (
        "已处理 {done} / {total} 行（{percent}%）",
        "{done} of {total} rows ({percent}%)",
    ),
    "imp.progress_rate": ("每秒 {rate} 行", "{rate} rows/s"),
    "imp.progress_left": ("预计还需 {s} 秒", "about {s} s left"),
    "imp.progress_elapsed": ("已用时 {s} 秒", "{s} s so far"),
    "imp.job_failed": (
        "导入未能完成，未写入任何数据；请稍后重试。",
        "The import could not finish and wrote nothing; try again later.",
    ),
    "imp.step.reading": ("正在读取并检查文件", "reading and checking the file"),
    "imp.step.checking": ("正在检查数据", "checking the rows"),
    "imp.step.comparing": ("正在与现有数据比对", "comparing with the zone"),
    "imp.step.writing": ("正在写入（一个事务）", "writing in one transaction"),
    "imp.done_intro": ("已在一个事务中写入 {n} 行。", "{n} rows written in one transaction."),
    "imp.to_dashboard": ("查看总览", "Go to the dashboard"),
    "imp.again": ("继续导入其他文件", "Import another file"),
    "imp.file_size": ("所选文件 {size} MB。", "The file is {size} MB."),
    # the contract's tables
    "tbl.enterprises": ("企业", "enterprises"),
    "tbl.party_orgs": ("党组织", "party organizations"),
    "tbl.studios": ("老书记工作室", "studios"),
    "tbl.coverage": ("覆盖关系", "coverage"),
    "tbl.supply_links": ("供应关系", "supply links"),
    "tbl.alliances": ("党建联盟", "alliances"),
    "tbl.alliance_members": ("联盟成员", "alliance members"),
    "tbl.instructors": ("党建指导员", "instructors"),
    "tbl.liaisons": ("联络员", "liaisons"),
    # rules and queries
    "r.title": ("规则检查", "Rule checks"),
    "r.intro": (
        "按文章所述制度逐项检查；每项可下载。",
        "Each mechanism the zone runs, checked; each list can be downloaded.",
    ),
    "qr.title": ("查询目录", "Query catalog"),
    "qr.intro": ("系统能回答的全部问题。", "Every question zonegraph answers."),
    "qr.params": ("参数", "Parameters"),
    "qr.need": ("请填写必填参数后运行。", "Fill in the required parameters, then run."),
    "qr.scope_hint": ("zone、street:名称、grid:名称…", "zone, street:NAME, grid:NAME…"),
    # columns
    "col.a": ("联盟甲", "alliance A"),
    "col.b": ("联盟乙", "alliance B"),
    "col.area": ("区域", "area"),
    "col.below_minimum": ("不足下限", "below minimum"),
    "col.change": ("变化", "change"),
    "col.closed": ("已注销", "closed"),
    "col.cluster": ("聚类", "cluster"),
    "col.coverage_rate": ("两个覆盖率", "coverage rate"),
    "col.covered": ("已组织覆盖", "covered"),
    "col.depth": ("层级", "depth"),
    "col.detail": ("说明", "detail"),
    "col.distance": ("距离（层）", "distance"),
    "col.employees": ("职工数", "employees"),
    "col.firm_id": ("企业编号", "firm id"),
    "col.firm_ids": ("企业编号", "firm ids"),
    "col.firm_name": ("企业名称", "firm"),
    "col.firms": ("企业数", "firms"),
    "col.firms_total": ("下辖企业数", "firms in total"),
    "col.formation": ("组建方式", "formation"),
    "col.gain": ("新增覆盖", "gain"),
    "col.grid": ("网格", "grid"),
    "col.group": ("分组", "group"),
    "col.how": ("方式", "how"),
    "col.id": ("编号", "id"),
    "col.industry": ("行业", "industry"),
    "col.jaccard": ("相似度", "Jaccard"),
    "col.kind": ("类型", "kind"),
    "col.lead_id": ("龙头企业编号", "lead id"),
    "col.lead_name": ("龙头企业", "lead"),
    "col.liaison_id": ("联络员编号", "liaison id"),
    "col.member_links": ("与成员的供应关系", "links to members"),
    "col.members": ("党员数", "members"),
    "col.alliances.members": ("成员企业数", "member firms"),
    "col.metric": ("指标", "metric"),
    "col.before": ("变更前", "before"),
    "col.after": ("变更后", "after"),
    "col.name": ("名称", "name"),
    "col.ok": ("符合", "ok"),
    "col.operating": ("在营", "operating"),
    "col.org_coverage_rate": ("组织覆盖率", "org. coverage rate"),
    "col.org_covered": ("组织覆盖", "org. covered"),
    "col.organizations": ("组织数", "organizations"),
    "col.own_org": ("单独组建", "own organization"),
    "col.own_org_rate": ("单独组建率", "own-org. rate"),
    "col.parent_id": ("上级编号", "parent id"),
    "col.party_members": ("党员数", "party members"),
    "col.rate": ("覆盖率", "rate"),
    "col.role": ("角色", "role"),
    "col.score": ("得分", "score"),
    "col.shared": ("共同企业", "shared"),
    "col.star_0": ("未评星", "0 stars"),
    "col.star_1": ("一星", "1 star"),
    "col.star_2": ("二星", "2 stars"),
    "col.star_3": ("三星", "3 stars"),
    "col.star_4": ("四星", "4 stars"),
    "col.star_5": ("五星", "5 stars"),
    "col.status": ("状态", "status"),
    "col.street": ("街道", "street"),
    "col.studio_id": ("工作室编号", "studio id"),
    "col.studio_name": ("工作室", "studio"),
    "col.theme": ("主题", "theme"),
    "col.total": ("企业总数", "total"),
    "col.uncovered": ("未覆盖", "uncovered"),
    "col.uncovered_ids": ("未覆盖企业编号", "uncovered ids"),
    "col.unrated": ("无评级", "unrated"),
    "col.work_only": ("仅工作覆盖", "work only"),
    "col.enterprise_id": ("企业编号", "firm id"),
    "col.alliance": ("联盟", "alliance"),
    "col.should_form_branch": ("应单独组建企业数", "should form a branch"),
    "col.studios_below_minimum": ("不足5家的工作室数", "studios below minimum"),
    "col.hops": ("供应链层数", "hops"),
    "col.k": ("推荐数量", "k"),
    "col.limit": ("返回行数", "limit"),
    "col.text": ("名称或编号包含", "text"),
    "col.level": ("分组层级", "level"),
    "col.minimum": ("下限", "minimum"),
    "col.per_liaison": ("每名联络员应联系企业数", "per liaison"),
    "col.root": ("起始组织编号", "root"),
    "col.scope": ("范围", "scope"),
    "col.min_size": ("最小规模", "min size"),
    "col.capacity": ("每室最多企业数", "capacity"),
    "col.max_firms": ("每支部最多企业数", "max firms"),
    "col.min_members": ("党员数不少于", "min members"),
    "col.park": ("园区", "park"),
    "col.alliance_id": ("联盟编号", "alliance id"),
    "col.mode": ("覆盖方式", "mode"),
    "col.community": ("社区", "community"),
    "col.key_firm": ("重点企业", "key firm"),
    "col.star": ("星级", "star rating"),
    "col.lat": ("纬度", "latitude"),
    "col.lon": ("经度", "longitude"),
    "col.reg_industry": ("登记行业", "registered industry"),
    "col.legal_rep": ("法定代表人", "legal representative"),
    "col.founded": ("成立日期", "founded"),
    "col.capital": ("注册资本", "registered capital"),
    "col.address": ("企业地址", "address"),
    "col.reg_status": ("登记状态", "registered status"),
    "col.coverer_id": ("覆盖单位编号", "coverer id"),
    "col.supplier_id": ("供应商编号", "supplier id"),
    "col.customer_id": ("客户编号", "customer id"),
    "col.product": ("产品", "product"),
    "col.department": ("部门", "department"),
    "col.station_id": ("所在服务站编号", "station id"),
    "col.secretary": ("老书记", "secretary"),
    "col.instructors": ("指导员人数", "instructors"),
    "col.phone": ("联系电话", "phone"),
    # catalog query titles
    "q.alliance_candidates": ("联盟候选企业", "Alliance candidates"),
    "q.alliance_overlap": ("联盟重叠", "Alliance overlap"),
    "q.alliance_reach": ("联盟辐射范围", "Alliance reach"),
    "q.alliance_reach_by_distance": ("联盟辐射层级统计", "Alliance reach by distance"),
    "q.alliances": ("党建联盟", "Alliances"),
    "q.bridging_firms": ("桥梁企业", "Bridging firms"),
    "q.coverage_by": ("分组覆盖率", "Coverage by group"),
    "q.find_firms": ("查找企业", "Find firms"),
    "q.formation_modes": ("组建方式", "Formation modes"),
    "q.industries_without_branch": ("无行业党支部的行业", "Industries without a branch"),
    "q.joint_branch_plan": ("联合党支部组建方案", "Joint branch plan"),
    "q.key_firms_without_liaison": ("无联络员的重点企业", "Key firms without a liaison"),
    "q.liaison_load": ("“1+1+5”联络员负荷", "Liaison load (1+1+5)"),
    "q.next_recruit": ("建议吸收企业", "Next recruits"),
    "q.org_tree": ("组织体系", "Organization tree"),
    "q.should_form_branch": ("应单独组建的企业", "Should form a branch"),
    "q.star_distribution": ("星级分布", "Star distribution"),
    "q.studio_assignment": ("工作室分派方案", "Studio assignment"),
    "q.studio_load": ("老书记工作室负荷", "Studio load"),
    "q.suggested_clusters": ("建议联建片区", "Suggested clusters"),
    "q.uncovered": ("未覆盖企业", "Uncovered firms"),
    "q.zone_summary": ("全区汇总", "Zone summary"),
    # rule explanations
    "qd.key_firms_without_liaison": (
        "“1+1+5”：每家重点企业都应有联络员。",
        "1+1+5: every key firm should have a liaison.",
    ),
    "qd.liaison_load": ("每名联络员联系 5 家重点企业。", "Each liaison looks after 5 key firms."),
    "qd.industries_without_branch": (
        "有企业但没有行业党支部的行业。",
        "Industries with firms but no industry branch.",
    ),
    "qd.star_distribution": ("五星、四星、三星评定的分布。", "How the star ratings are spread."),
    "qd.formation_modes": (
        "单独组建、区域联建、行业统建等组建方式。",
        "How organizations were formed.",
    ),
    "qd.org_tree": (
        "区党工委→非公党工委→街道/园区→服务站→企业党组织。",
        "Zone committee → "
        "non-public committee → streets and parks → stations → firm organizations.",
    ),
    "qd.should_form_branch": (
        "党章第三十条：正式党员3人以上应成立党的基层组织。",
        "Party "
        "Constitution Art. 30: three or more full members should form "
        "their own organization.",
    ),
    "qd.studio_load": (
        "“1+2+N”：每个老书记工作室至少指导 5 家企业。",
        "1+2+N: each old-secretary studio guides at least 5 firms.",
    ),
    # audit trail
    "au.title": ("操作记录", "Audit trail"),
    "au.intro": (
        "每一次写入（导入、编辑、方案应用、核对、恢复、账户变更）都记录在数据库中：谁、何时"
        "（协调世界时）、改了什么。记录只增不改，任何人都不能删除。",
        "Every write (loads, imports, edits, scenario applies, reconciliations, restores, "
        "account changes) is recorded in the database: who, when (UTC) and what. Entries are "
        "only ever added; nobody can edit or delete them.",
    ),
    "au.since": ("起始日期或时间", "Since (date or time)"),
    "au.user": ("用户", "User"),
    "au.more": (
        "只显示最新的 {n} 条；更早的请缩小范围",
        "Only the newest {n} are shown; narrow it",
    ),
    "au.col.at": ("时间", "When"),
    "au.col.user": ("用户", "User"),
    "au.col.action": ("操作", "Action"),
    "au.col.source": ("来源", "Source"),
    "au.col.counts": ("数量", "Counts"),
    "au.col.keys": ("涉及的键", "Keys"),
    "au.col.detail": ("说明", "Detail"),
    "au.action.load": ("导入文件（更新）", "load (upsert)"),
    "au.action.load.replace": ("导入文件（整体替换）", "load (replace)"),
    "au.action.demo": ("生成示例数据", "demo zone"),
    "au.action.import": ("网页导入", "web import"),
    "au.action.firm.edit": ("编辑企业", "firm edited"),
    "au.action.coverage.add": ("添加覆盖", "coverage added"),
    "au.action.coverage.remove": ("移除覆盖", "coverage removed"),
    "au.action.liaison.add": ("添加联络员", "liaison added"),
    "au.action.liaison.remove": ("移除联络员", "liaison removed"),
    "au.action.scenario.apply": ("应用方案", "scenario applied"),
    "au.action.reconcile": ("与登记信息核对", "reconciled with the register"),
    "au.action.restore": ("从备份恢复", "restored from a backup"),
    # stored values
    "v.own": ("单独组建", "own organization"),
    "v.joint": ("联合覆盖", "joint organization"),
    "v.work": ("工作覆盖", "work coverage"),
    "v.uncovered": ("未覆盖", "uncovered"),
    "v.closed": ("已注销", "closed"),
    "v.organization": ("组织覆盖", "organization"),
    "v.operating": ("在营", "operating"),
    "v.lead": ("龙头", "lead"),
    "v.member": ("成员", "member"),
    "v.studio": ("老书记工作室", "studio"),
    "v.instructor": ("党建指导员", "instructor"),
    "v.zone_committee": ("区党工委", "zone committee"),
    "v.nonpublic_committee": ("非公党工委", "non-public committee"),
    "v.street_committee": ("街道党工委", "street committee"),
    "v.park_org": ("园区综合党组织", "park organization"),
    "v.community_station": ("社区党群服务站", "community station"),
    "v.enterprise_org": ("企业党组织", "firm organization"),
    "v.joint_branch": ("联合党支部", "joint branch"),
    "v.industry_branch": ("行业党支部", "industry branch"),
    "v.association_branch": ("协会商会党组织", "association branch"),
    "v.regional_joint": ("区域联建", "regional joint"),
    "v.industry": ("行业统建", "industry"),
    "v.industrial_chain": ("产业联建", "industrial chain"),
    "v.leading_firm": ("龙头领建", "led by a leading firm"),
    "v.office_building": ("楼宇合建", "office building"),
    "v.unrecorded": ("未记录", "unrecorded"),
    "v.Enterprise": ("企业", "firm"),
    "v.PartyOrg": ("党组织", "party organization"),
    "v.Studio": ("老书记工作室", "studio"),
    "v.Instructor": ("党建指导员", "instructor"),
    "v.Alliance": ("党建联盟", "alliance"),
    "v.Liaison": ("联络员", "liaison"),
    "v.Group": ("汇总节点", "aggregate"),
}


def _merged() -> dict[str, tuple[str, str]]:
    table = dict(_T)
    for part in PARTS:
        twice = table.keys() & part.keys()
        if twice:
            raise RuntimeError(f"message keys defined twice: {sorted(twice)}")
        table |= part
    return table


_T = _merged()
ZH: dict[str, str] = {k: v[0] for k, v in _T.items()}
EN: dict[str, str] = {k: v[1] for k, v in _T.items()}
STRINGS: dict[str, dict[str, str]] = {"zh": ZH, "en": EN}


class Translator:
    """Looks strings up in one language; a missing key shows itself (so it gets noticed)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in STRINGS else DEFAULT_LANG
        self.strings = STRINGS[self.lang]

    def __call__(self, key: str, **values: Any) -> str:
        text = self.strings.get(key, key)
        return text.format(**values) if values else text

    def col(self, name: str, query: str | None = None) -> str:
        """A column's heading (a query may name its own, e.g. ``col.alliances.members``)."""
        return self.strings.get(f"col.{query}.{name}") or self.strings.get(f"col.{name}", name)

    def query(self, name: str) -> str:
        return self.strings.get(f"q.{name}", name)

    def value(self, value: object) -> str:
        """A stored word (coverage, kind, formation, label) in this language, else itself."""
        return self.strings.get(f"v.{value}", str(value))
