"""The demo zone's calibration: figures from the source article and the word lists that
generated names are made of (used by :mod:`loaders.demo`)."""

from __future__ import annotations

DEMO = "（演示）"

# --- Calibration figures, each from the article ---------------------------------------------
STUDIOS = 24  # "利用接收的一汽集团24个社区服务站……老书记工作室"
STUDIO_MIN_FIRMS = 5  # "每个工作室重点联系指导非公企业不少于5户"
STUDIOS_BELOW_MIN = 4  # demo gap: studios still short of that minimum
INDUSTRY_BRANCHES = 17  # "组建行业主管部门党支部17家"
HUB_COVERED = 159  # 高力汽贸城 via 国泰's party org: "覆盖非公企业159家"
# "成立了拥军协会、商会物流等4个党支部"
HUB_ASSOCIATIONS = ("拥军协会党支部", "商会物流党支部", "商户党支部", "诚信经营党支部")
HUB_JOINT_BRANCHES = 5  # "行业联合党支部5个"
HUB_EXTRA_TENANTS = 15  # demo gap: market tenants the hub has not reached yet
STAR_COUNTS = {5: 3, 4: 11, 3: 29}  # "五星级……3家、……四星级……11家、……三星级……29家"
LIAISON_FIRMS = 5  # "1+1+5": one park member + one investment department, 5 key firms
KEY_WITHOUT_LIAISON = 3  # demo gap: key firms nobody liaises with
# "依托人才服务、物流服务、金融服务、整车服务等载体……建立8个汽车产业红旗党建联盟"
ALLIANCE_LEADERS = (
    ("一汽法雷奥", "零部件配套"),
    ("卡斯马", "人才服务"),
    ("伟巴斯特", "金融服务"),
    ("繁荣冲压件有限公司", "智能制造"),
    ("吉林省长久实业集团有限公司", "物流服务"),
    ("吉林省华诚伟业汽车贸易有限公司", "整车服务"),
    ("长春一汽综合利用股份有限公司", "绿色循环"),
    ("", "整车配套"),  # "": the largest generated OEM-like firm
)
# theme -> (industry of the carrier firms, whether they sit downstream of the leader)
THEMES = {
    "零部件配套": ("汽车零部件", False),
    "人才服务": ("人才服务", False),
    "金融服务": ("金融服务", False),
    "智能制造": ("信息技术", False),
    "物流服务": ("物流", False),
    "整车服务": ("汽车后市场服务", True),
    "绿色循环": ("再生资源", False),
    "整车配套": ("汽车零部件", False),
}
# Firms named in the article, with a generated industry and supply-chain role
HUB_OPERATOR = "吉林省国泰汽车配件有限公司"
REAL_FIRMS = (
    ("长春机械工业第九设计研究院有限公司", "工程设计", "service"),
    ("吉林省长久实业集团有限公司", "物流", "service"),
    (HUB_OPERATOR, "汽车零部件", "dealer"),
    ("吉林省华诚伟业汽车贸易有限公司", "汽车销售", "dealer"),
    ("长春一汽综合利用股份有限公司", "再生资源", "service"),
    ("中海销售有限公司", "汽车销售", "dealer"),
    ("鹏昊金属制品有限公司", "机械制造", "tier3"),
    ("伟巴斯特", "汽车零部件", "tier1"),
    ("一汽法雷奥", "汽车零部件", "tier1"),
    ("繁荣冲压件有限公司", "汽车零部件", "tier1"),
    ("卡斯马", "汽车零部件", "tier1"),
    ("华奥", "汽车零部件", "tier1"),
)
MEDIUM_REAL_FIRMS = ("鹏昊金属制品有限公司", "中海销售有限公司")  # the others get 300–3000 staff
# Party organizations the article names (the other real firms' orgs are generated)
REAL_ORGS = {
    "长春机械工业第九设计研究院有限公司": "长春机械工业第九设计研究院有限公司党委",
    "吉林省长久实业集团有限公司": "吉林省长久实业集团有限公司党委",
    HUB_OPERATOR: "高力北方汽贸城运营主体党组织（吉林省国泰汽车配件有限公司）",
    "吉林省华诚伟业汽车贸易有限公司": "吉林省华诚伟业汽车贸易有限公司党委",
    "长春一汽综合利用股份有限公司": "长春一汽综合利用股份有限公司党委",
    "中海销售有限公司": "中海销售有限公司党支部",
}
REAL_STREET, REAL_COMMUNITY = "锦程街道", "安庆社区"  # "锦程街道安庆社区开展直播带货"

# --- Demo shape (not from the article) -------------------------------------------------------
MIN_FIRMS = 400
CENTER = (43.84, 125.20)
COMMUNITY_SPREAD, FIRM_JITTER, MAX_OFFSET = 0.06, 0.015, 0.08
STATIONS = 26  # 24 studio hosts + 2 stations without a studio
GEN_STREETS = tuple(s + DEMO for s in ("车城街道", "长青街道", "东岭街道", "福林街道"))
COMMUNITY_WORDS = (
    "丰华 东盛 明珠 和平 春晖 翠湖 康宁 长青 兴华 繁星 阳光 绿园 富民 创业 学苑 枫林 锦绣 滨河 "
    "新村 启明 青年 安和 福星 惠民 百合 松苑"
).split()
PARKS = {
    "汽车零部件产业园" + DEMO: ("汽车零部件", "机械制造", "整车制造"),
    "汽车物流园" + DEMO: ("物流", "快递"),
    "汽车服务创新园" + DEMO: ("信息技术", "金融服务", "人才服务", "工程设计"),
}
PARK_SHARE = 0.5
# industry -> (generation weight, name endings); the first 17 get an industry branch
INDUSTRIES: dict[str, tuple[float, tuple[str, ...]]] = {
    "汽车零部件": (30, ("汽车零部件有限公司", "汽车配件有限公司", "精密部件有限公司")),
    "整车制造": (0, ("汽车有限公司", "专用车有限公司")),  # fixed: 1 per 100 firms
    "物流": (8, ("物流有限公司", "供应链管理有限公司")),
    "金融服务": (3, ("融资租赁有限公司", "小额贷款有限公司", "保险代理有限公司")),
    "人才服务": (3, ("人力资源服务有限公司", "劳务派遣有限公司")),
    "汽车销售": (5, ("汽车销售服务有限公司", "汽车贸易有限公司")),
    "汽车后市场服务": (7, ("汽车维修服务有限公司", "汽车美容服务有限公司", "二手车经纪有限公司")),
    "机械制造": (9, ("机械制造有限公司", "模具有限公司", "金属制品有限公司")),
    "信息技术": (5, ("信息技术有限公司", "软件有限公司")),
    "餐饮": (5, ("餐饮管理有限公司", "餐饮服务有限公司")),
    "教育": (2.5, ("职业培训学校有限公司", "教育咨询有限公司")),
    "医疗健康": (2.5, ("医疗器械有限公司", "健康管理有限公司")),
    "工程设计": (2, ("工程设计有限公司", "工程技术有限公司")),
    "再生资源": (1.5, ("再生资源有限公司", "环保科技有限公司")),
    "建筑安装": (3, ("建筑安装工程有限公司", "建设工程有限公司")),
    "商贸零售": (4, ("商贸有限公司", "超市有限公司")),
    "能源": (1.5, ("能源有限公司", "新能源科技有限公司")),
    "物业服务": (3, ("物业服务有限公司", "物业管理有限公司")),
    "快递": (2.5, ("快递服务有限公司", "速运有限公司")),
    "网约车": (1.5, ("网约车服务有限公司", "出行服务有限公司")),
}
BRANCH_INDUSTRIES = tuple(INDUSTRIES)[:INDUSTRY_BRANCHES]
# "下一步……教育行业、卫生行业以及物流业……快递员、网约工、物业工作者": sectors still weakly covered
LOW_COVERAGE = ("教育", "医疗健康", "物业服务", "快递", "网约车")
SMALL_SECTORS = (*LOW_COVERAGE, "餐饮", "商贸零售", "汽车后市场服务")
OFFICE_SECTORS = ("信息技术", "金融服务", "人才服务", "工程设计", "教育")
SERVICE_PRODUCTS = {
    "物流": "运输仓储服务",
    "金融服务": "供应链金融服务",
    "人才服务": "招聘与劳务派遣",
    "信息技术": "工业软件与信息化服务",
    "工程设计": "工程设计与咨询",
    "再生资源": "废钢回收与炉料",
    "能源": "供能服务",
}
PARTS = ("冲压件", "线束", "座椅骨架", "紧固件", "注塑件", "密封件", "铸件", "电子元件")
TENANT_INDUSTRIES = {"汽车销售": 3.0, "汽车后市场服务": 3.5, "汽车零部件": 2.5, "餐饮": 1.0}
NAME_A = (
    "恒达 宏图 鑫源 瑞丰 金诚 华宇 盛通 博远 泰和 永安 嘉禾 东升 新达 华信 富源 德胜 鸿运 天成 "
    "佳联 润泽 中瑞 昌盛 明德 安泰 广源 同创 众鑫 鼎立 兴业 凯旋 长兴 启航 汇通 聚力 荣达 精诚 "
    "致远 弘毅 腾飞 和顺"
).split()
NAME_B = (
    "精工 科技 实业 联合 智造 汇丰 通达 机电 华创 远航 "
    "宏业 新源 安达 恒信 创新 诚信 顺达 天和 卓越 永盛"
).split()
NAME_CITY = ("长春", "吉林", "吉林省")
SURNAMES = "王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 胡 朱 高 林 何 郭 马 罗 梁 宋 郑 谢".split()
DEPARTMENTS = ("投资促进一局", "投资促进二局", "招商服务中心", "产业促进局", "项目服务中心")
# Coverage targets for firms without their own organization; the shares were tuned so that the
# default zone lands at roughly 62% organizational, 21% work-only and 17% uncovered coverage.
OWN, JOINT, INDUSTRY, HUB, WORK, NONE = "own", "joint", "industry", "hub", "work", "none"
ORG_COVERED = (OWN, JOINT, INDUSTRY, HUB)
TARGETS = (JOINT, INDUSTRY, WORK, NONE)
WEIGHTS, LOW_WEIGHTS = (0.27, 0.22, 0.30, 0.21), (0.12, 0.10, 0.33, 0.45)
OWN_P, BIG_OWN_P, TENANT_OWN_P = 0.65, 0.9, 0.3  # chance a firm with ≥3 members has its own org
CLOSED_SHARE = 0.02
REAL_WEIGHT = 4.0  # real firms attract more supply partners
