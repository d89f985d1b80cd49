//! Phrase tables of titles and descriptions: the boilerplate boards are full of.

use crate::segment::Segment;

/// Bracketed tags put before a title.
pub(crate) static TITLE_PREFIX_TAGS: &[&str] =
    &["【急招】", "【高薪】", "【双休】", "急聘-", "【五险一金】", "[急]", "【名企直招】", "【急聘】", "【热招】"];

/// Tags put after a title, general then by segment.
pub(crate) static TITLE_SUFFIX_TAGS: &[&str] = &[
    "(双休)",
    "（五险一金）",
    "(急招)",
    "（周末双休）",
    "+五险一金",
    "（六险一金）",
    "(可接受应届生)",
    "（上市公司）",
    "（急聘）",
];
pub(crate) static TITLE_SUFFIX_TAGS_WORKER: &[&str] =
    &["(包吃住)", "（长白班）", "（月休4天）", "(包住)", "（无需经验）", "(可日结)", "【包吃住】"];
pub(crate) static TITLE_SUFFIX_TAGS_SALES: &[&str] = &["（无责底薪）", "(底薪+提成)", "（高提成）", "+高提成"];
pub(crate) static TITLE_SUFFIX_TAGS_TECH: &[&str] = &["（弹性工作）", "(六险一金)", "（可远程）", "(大厂)"];

/// Recruiting verbs put before a title.
pub(crate) static TITLE_VERBS: &[&str] = &["急聘", "诚聘", "招聘", "高薪诚聘", "急招"];

pub(crate) static TASK_HEADERS: &[&str] = &[
    "岗位职责：",
    "工作职责：",
    "职位描述：",
    "【岗位职责】",
    "工作内容：",
    "职责描述：",
    "岗位描述：",
    "【工作内容】",
];
pub(crate) static REQ_HEADERS: &[&str] =
    &["任职要求：", "任职资格：", "岗位要求：", "【任职要求】", "职位要求：", "任职条件："];
pub(crate) static BENEFIT_HEADERS: &[&str] = &["福利待遇：", "【福利待遇】", "薪资福利：", "我们提供：", "公司福利："];

/// Items ending a task list.
pub(crate) static TASK_TAILS: &[&str] =
    &["完成上级领导交办的其他工作", "完成领导安排的其他临时性工作", "配合部门完成其他相关工作"];

/// Majors named in the education line, by segment.
pub(crate) fn majors(segment: Segment) -> &'static [&'static str] {
    match segment {
        Segment::Tech => &["计算机", "软件工程", "电子信息", "通信工程", "数学、统计学"],
        Segment::Engineer => &["机械", "电气自动化", "土木工程", "材料", "化工", "电子"],
        Segment::Science => &["临床医学", "药学", "生物", "教育学", "护理"],
        Segment::Office => &["财务管理、会计", "人力资源管理", "工商管理", "法律", "新闻传播", "设计"],
        Segment::Manager => &["工商管理", "经济管理", "市场营销"],
        Segment::Sales => &["市场营销", "电子商务", "国际贸易"],
        Segment::Service | Segment::Blue => &[],
    }
}

/// Skill lines of the requirements, by segment.
pub(crate) fn skills(segment: Segment) -> &'static [&'static str] {
    match segment {
        Segment::Tech => &[
            "熟悉Linux操作系统及常用命令",
            "熟练掌握MySQL、Redis等常用数据库",
            "熟悉Git等版本管理工具，具备良好的编码习惯",
            "熟悉常用的数据结构与算法",
            "有大型项目开发经验者优先",
            "熟悉Spring Boot、微服务架构者优先",
            "具备较强的问题分析和解决能力",
            "能够阅读英文技术文档",
        ],
        Segment::Engineer => &[
            "熟练使用AutoCAD、SolidWorks等绘图软件",
            "熟悉相关国家标准和行业规范",
            "能看懂施工图纸及工艺文件",
            "具有中级及以上职称者优先",
            "能适应短期出差",
            "熟悉ISO9001质量管理体系",
        ],
        Segment::Science => &[
            "持有相关执业资格证书",
            "具备扎实的专业基础知识",
            "有教师资格证者优先",
            "具备良好的科研能力和英文读写能力",
            "熟悉相关法律法规和操作规范",
        ],
        Segment::Office => &[
            "熟练使用Word、Excel、PPT等办公软件",
            "具有较强的文字功底和数据分析能力",
            "持有相关职业资格证书者优先",
            "细心严谨，有较强的保密意识",
            "熟悉财务软件及相关税务法规者优先",
            "有同行业工作经验者优先",
        ],
        Segment::Manager => &[
            "具有较强的战略规划和组织协调能力",
            "有同行业团队管理经验者优先",
            "具备优秀的领导力和决策能力",
            "熟悉企业经营管理及相关法律法规",
        ],
        Segment::Sales => &[
            "有销售经验者优先，优秀应届生亦可",
            "具有较强的市场开拓能力和客户服务意识",
            "能承受一定的工作压力，有上进心",
            "有一定客户资源者优先",
            "普通话标准，表达能力强",
            "有驾照者优先",
        ],
        Segment::Service => &[
            "形象气质佳，普通话标准",
            "能适应倒班工作",
            "持有健康证者优先",
            "热爱服务行业，有亲和力",
            "年龄18-45岁，男女不限",
            "能吃苦耐劳，服从安排",
        ],
        Segment::Blue => &[
            "身体健康，能吃苦耐劳",
            "能适应两班倒及加班",
            "持有叉车证、电工证等特种作业证者优先",
            "服从安排，有团队合作意识",
            "年龄18-50岁，男女不限",
            "视力良好，无色盲色弱",
            "持C1及以上驾照者优先",
        ],
    }
}

/// Generic soft-skill lines.
pub(crate) static SOFT_SKILLS: &[&str] = &[
    "具备良好的沟通能力和团队合作精神",
    "工作认真负责，有较强的学习能力",
    "责任心强，抗压能力强",
    "有较强的执行力和时间管理能力",
    "性格开朗，积极主动，有良好的职业素养",
    "诚实守信，吃苦耐劳，服从工作安排",
];

/// Benefits, general then by kind of job.
pub(crate) static BENEFITS: &[&str] = &[
    "五险一金",
    "周末双休",
    "带薪年假",
    "节日福利",
    "年终奖",
    "定期体检",
    "员工旅游",
    "绩效奖金",
    "餐补",
    "交通补助",
    "通讯补贴",
    "培训机会",
    "晋升空间大",
    "法定节假日休息",
    "生日福利",
];
pub(crate) static BENEFITS_TECH: &[&str] =
    &["弹性工作", "零食下午茶", "股票期权", "免费班车", "补充医疗保险", "六险一金", "年度调薪"];
pub(crate) static BENEFITS_WORKER: &[&str] =
    &["包吃住", "包住", "全勤奖", "加班补助", "提供宿舍", "免费工作餐", "长白班", "工资月结不拖欠"];
pub(crate) static BENEFITS_SALES: &[&str] = &["高提成", "底薪+提成", "季度奖金", "带薪培训", "月度奖金"];

/// Working-time lines: office hours, shifts.
pub(crate) static HOURS_OFFICE: &[&str] =
    &["工作时间：周一至周五 9:00-18:00", "工作时间：早九晚六，周末双休", "工作时间：9:30-18:30，弹性打卡"];
pub(crate) static HOURS_WORKER: &[&str] = &[
    "工作时间：做六休一，8小时工作制",
    "工作时间：月休4天，轮休",
    "工作时间：两班倒，每班11小时",
    "工作时间：长白班 8:00-17:30",
    "工作时间：早班7:00-15:00，晚班15:00-23:00",
];

/// Closing sentences.
pub(crate) static CLOSINGS: &[&str] = &[
    "有意者请投递简历，合适者将尽快安排面试。",
    "欢迎有志之士加入！",
    "公司提供良好的发展平台和晋升空间。",
    "薪资面议，待遇从优。",
    "欢迎优秀的你加入我们的团队！",
];

/// Address words after the district in a 工作地点 line.
pub(crate) static ADDRESS_AREAS: &[&str] =
    &["科技园", "软件园", "工业园", "经济开发区", "高新技术产业园", "中心商务区", "万达广场", "创业大厦"];

/// Company introductions: `{company}` 成立于 … 是一家 … 的企业.
pub(crate) static COMPANY_KINDS: &[&str] =
    &["民营企业", "高新技术企业", "上市公司", "外资企业", "国有企业", "连锁企业", "中外合资企业"];

/// Field words boards put before an IT name (`大数据开发工程师`).
pub(crate) const BOARD_FIELDS_TECH: &[&str] =
    &["大数据", "后端", "前端", "互联网", "人工智能", "云平台", "数据", "移动端", "游戏", "金融科技", "物联网", "平台"];

/// Field words before a sales name (`大客户销售`).
pub(crate) const BOARD_FIELDS_SALES: &[&str] =
    &["大客户", "区域", "渠道", "电话", "门店", "海外", "KA", "医药", "汽车", "教育", "房产", "保险"];

/// Field words before other names (`连锁门店店长`).
pub(crate) const BOARD_FIELDS_SERVICE: &[&str] =
    &["门店", "酒店", "连锁", "工厂", "物业", "医院", "集团", "商场", "项目", "总部", "园区", "仓储"];

/// Latin words before an IT name (`Java开发工程师`).
pub(crate) const BOARD_LATIN: &[&str] =
    &["Java", "Python", "C++", "Go", "PHP", "Linux", "Android", "iOS", "Web", "Hadoop", "Spark", "AI", "NLP", "SaaS"];

/// Titles that name no occupation of the taxonomy (a test checks them against
/// it): the description alone tells what the job is.
pub(crate) const BOARD_NO_TERM: &[&str] = &[
    "储备干部",
    "管培生",
    "合伙人",
    "综合岗",
    "日结兼职",
    "长期工",
    "暑假工",
    "储备人才",
    "岗位多多",
    "急招数名",
    "轻松岗位",
    "应届毕业生",
    "校招生",
    "社会招聘",
    "多岗位招聘",
];
