//! Fixed text tables of places, industries and company names.
//!
//! Format templates only: nothing here is copied from a scraped data set.

use crate::segment::Segment;

/// City size tier, as boards and the press use it: 一线, 新一线, 二线, 三线.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tier {
    First,
    NewFirst,
    Second,
    Third,
}

impl Tier {
    /// Wage level relative to a second-tier city.
    pub(crate) fn wage_factor(self) -> f64 {
        match self {
            Tier::First => 1.3,
            Tier::NewFirst => 1.12,
            Tier::Second => 1.0,
            Tier::Third => 0.88,
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// A city: name without 市, tier, relative size of its job market, and a
/// few districts for the `北京-海淀区` forms some boards use.
#[derive(Debug)]
pub(crate) struct City {
    pub name: &'static str,
    pub tier: Tier,
    pub weight: f64,
    pub districts: &'static [&'static str],
}

const fn city(name: &'static str, tier: Tier, weight: f64, districts: &'static [&'static str]) -> City {
    City { name, tier, weight, districts }
}

use Tier::{First, NewFirst, Second, Third};

pub(crate) static CITIES: &[City] = &[
    city("北京", First, 10.0, &["海淀区", "朝阳区", "东城区", "西城区", "丰台区", "昌平区", "大兴区", "通州区"]),
    city("上海", First, 10.0, &["浦东新区", "徐汇区", "闵行区", "静安区", "长宁区", "杨浦区", "黄浦区", "普陀区"]),
    city("广州", First, 8.0, &["天河区", "海珠区", "番禺区", "黄埔区", "越秀区", "白云区"]),
    city("深圳", First, 9.0, &["南山区", "福田区", "宝安区", "龙岗区", "龙华区", "罗湖区"]),
    city("成都", NewFirst, 6.0, &["高新区", "武侯区", "锦江区", "成华区", "金牛区"]),
    city("杭州", NewFirst, 6.0, &["西湖区", "滨江区", "余杭区", "拱墅区", "萧山区"]),
    city("重庆", NewFirst, 5.0, &["渝北区", "江北区", "渝中区", "九龙坡区", "南岸区"]),
    city("武汉", NewFirst, 5.0, &["洪山区", "江汉区", "武昌区", "东西湖区", "江夏区"]),
    city("西安", NewFirst, 4.5, &["雁塔区", "未央区", "碑林区", "长安区"]),
    city("苏州", NewFirst, 5.0, &["工业园区", "吴中区", "相城区", "姑苏区", "昆山市"]),
    city("天津", NewFirst, 4.0, &["滨海新区", "南开区", "和平区", "河西区"]),
    city("南京", NewFirst, 5.0, &["江宁区", "鼓楼区", "秦淮区", "建邺区", "雨花台区"]),
    city("长沙", NewFirst, 4.0, &["岳麓区", "雨花区", "开福区", "天心区"]),
    city("郑州", NewFirst, 4.0, &["金水区", "郑东新区", "中原区", "二七区"]),
    city("东莞", NewFirst, 4.0, &["南城街道", "松山湖", "长安镇", "虎门镇"]),
    city("青岛", NewFirst, 3.5, &["市南区", "崂山区", "黄岛区", "李沧区"]),
    city("沈阳", NewFirst, 2.5, &["浑南区", "和平区", "沈河区", "铁西区"]),
    city("宁波", NewFirst, 3.0, &["鄞州区", "海曙区", "江北区", "北仑区"]),
    city("昆明", NewFirst, 2.5, &["五华区", "盘龙区", "官渡区"]),
    city("合肥", Second, 3.0, &["蜀山区", "包河区", "政务区", "高新区"]),
    city("佛山", Second, 3.0, &["南海区", "顺德区", "禅城区"]),
    city("福州", Second, 2.5, &["鼓楼区", "仓山区", "台江区"]),
    city("无锡", Second, 2.5, &["新吴区", "滨湖区", "梁溪区"]),
    city("厦门", Second, 2.5, &["思明区", "湖里区", "集美区"]),
    city("济南", Second, 3.0, &["历下区", "高新区", "市中区", "槐荫区"]),
    city("大连", Second, 2.2, &["甘井子区", "沙河口区", "中山区"]),
    city("哈尔滨", Second, 2.0, &["南岗区", "道里区", "香坊区"]),
    city("温州", Second, 2.0, &[]),
    city("南宁", Second, 2.0, &["青秀区", "西乡塘区"]),
    city("长春", Second, 2.0, &["朝阳区", "南关区", "高新区"]),
    city("泉州", Second, 2.0, &[]),
    city("石家庄", Second, 2.0, &["长安区", "桥西区", "裕华区"]),
    city("贵阳", Second, 2.0, &["观山湖区", "南明区", "云岩区"]),
    city("南昌", Second, 2.0, &["红谷滩区", "青山湖区", "东湖区"]),
    city("金华", Second, 1.5, &["义乌市", "婺城区"]),
    city("常州", Second, 2.0, &["武进区", "新北区"]),
    city("南通", Second, 1.5, &[]),
    city("嘉兴", Second, 1.5, &[]),
    city("太原", Second, 1.8, &["小店区", "迎泽区"]),
    city("徐州", Second, 1.5, &[]),
    city("惠州", Second, 1.5, &[]),
    city("珠海", Second, 1.5, &["香洲区", "横琴新区"]),
    city("中山", Second, 1.5, &[]),
    city("台州", Second, 1.2, &[]),
    city("烟台", Second, 1.3, &[]),
    city("兰州", Second, 1.2, &["城关区", "七里河区"]),
    city("绍兴", Second, 1.2, &[]),
    city("海口", Second, 1.0, &["龙华区", "美兰区"]),
    city("潍坊", Third, 1.0, &[]),
    city("保定", Third, 1.0, &[]),
    city("镇江", Third, 0.8, &[]),
    city("洛阳", Third, 0.8, &[]),
    city("乌鲁木齐", Third, 1.0, &["天山区", "沙依巴克区"]),
    city("呼和浩特", Third, 0.8, &[]),
    city("银川", Third, 0.6, &[]),
    city("西宁", Third, 0.5, &[]),
    city("芜湖", Third, 0.8, &[]),
    city("襄阳", Third, 0.6, &[]),
    city("宜昌", Third, 0.6, &[]),
    city("赣州", Third, 0.7, &[]),
    city("桂林", Third, 0.6, &[]),
    city("江门", Third, 0.7, &[]),
    city("湖州", Third, 0.7, &[]),
    city("盐城", Third, 0.7, &[]),
    city("扬州", Third, 0.8, &[]),
    city("廊坊", Third, 0.7, &[]),
    city("临沂", Third, 0.8, &[]),
    city("绵阳", Third, 0.6, &[]),
];

/// A board industry: its name as posted, which segment's city mix its
/// companies follow, its share of employers, and words for company names.
#[derive(Debug)]
pub(crate) struct Industry {
    pub name: &'static str,
    pub segment: Segment,
    pub share: f64,
    pub words: &'static [&'static str],
}

const fn industry(name: &'static str, segment: Segment, share: f64, words: &'static [&'static str]) -> Industry {
    Industry { name, segment, share, words }
}

use Segment::{Blue, Engineer, Manager, Office, Sales, Science, Service, Tech};

pub(crate) static INDUSTRIES: &[Industry] = &[
    industry("互联网/电子商务", Tech, 6.0, &["网络科技", "信息科技", "电子商务", "互联网科技"]),
    industry("计算机软件", Tech, 5.0, &["软件", "软件技术", "信息技术", "数据科技"]),
    industry("IT服务/系统集成", Tech, 3.0, &["信息技术", "系统集成", "智能科技", "数码科技"]),
    industry("通信/网络设备", Tech, 1.5, &["通信技术", "通讯设备", "网络技术"]),
    industry("电子/半导体/集成电路", Engineer, 2.5, &["电子", "微电子", "半导体", "光电科技"]),
    industry("金融/投资/证券", Manager, 2.0, &["投资管理", "金融信息服务", "资产管理", "财富管理"]),
    industry("银行", Office, 0.8, &["银行"]),
    industry("保险", Sales, 1.5, &["人寿保险", "财产保险", "保险代理"]),
    industry("房地产/建筑/建材/工程", Engineer, 5.0, &["房地产开发", "建筑工程", "置业", "建设", "房地产经纪"]),
    industry("专业服务/咨询/财会/法律", Office, 2.5, &["企业管理咨询", "财务咨询", "管理咨询", "知识产权代理"]),
    industry("人力资源服务", Office, 2.5, &["人力资源", "劳务派遣", "人力资源服务"]),
    industry("教育/培训/院校", Science, 4.0, &["教育科技", "培训学校", "文化传播", "教育咨询"]),
    industry("医疗/护理/卫生", Science, 2.5, &["医院管理", "医疗", "健康管理", "口腔门诊"]),
    industry("医药/生物工程", Engineer, 2.0, &["医药", "生物科技", "制药", "医疗器械"]),
    industry("快速消费品(食品/饮料/化妆品)", Sales, 3.0, &["食品", "饮料", "日化", "商贸"]),
    industry("零售/批发", Sales, 5.0, &["商贸", "百货", "超市", "连锁"]),
    industry("贸易/进出口", Sales, 2.0, &["进出口贸易", "国际贸易", "贸易"]),
    industry("餐饮服务", Service, 4.5, &["餐饮管理", "餐饮", "餐饮服务"]),
    industry("酒店/旅游", Service, 2.0, &["酒店管理", "国际旅行社", "旅游开发"]),
    industry("物流/仓储", Blue, 3.5, &["物流", "供应链管理", "仓储服务", "速递"]),
    industry("交通/运输", Blue, 2.0, &["运输", "汽车运输", "客运", "出行科技"]),
    industry("汽车/摩托车", Engineer, 2.5, &["汽车销售服务", "汽车零部件", "汽车科技", "汽车服务"]),
    industry("机械/设备/重工", Blue, 3.5, &["机械制造", "重工", "机械设备", "精密机械"]),
    industry("仪器仪表/工业自动化", Engineer, 1.5, &["自动化设备", "仪器仪表", "智能装备"]),
    industry("电气/电力/水利", Engineer, 1.5, &["电气", "电力工程", "电力设备", "水务"]),
    industry("能源/矿产/采掘/冶炼", Blue, 1.2, &["能源", "新能源", "矿业", "冶金"]),
    industry("化工/石化", Blue, 1.5, &["化工", "新材料", "石油化工"]),
    industry("服装/纺织/皮革", Blue, 1.5, &["服饰", "纺织", "鞋业", "服装"]),
    industry("家居/室内设计/装饰装潢", Service, 2.0, &["装饰工程", "家居", "建筑装饰设计"]),
    industry("广告/会展/公关", Office, 1.5, &["广告", "文化传媒", "会展服务", "品牌策划"]),
    industry("文化/传媒/娱乐/体育", Office, 2.0, &["文化传媒", "影视传媒", "文化发展", "体育文化"]),
    industry("物业管理/商业中心", Service, 2.0, &["物业管理", "物业服务", "商业管理"]),
    industry("生活服务(美容/保健/家政)", Service, 2.5, &["美容美发", "家政服务", "健身", "生活服务"]),
    industry("农/林/牧/渔", Blue, 0.8, &["农业科技", "农业发展", "生态农业", "畜牧"]),
    industry("政府/公共事业/非营利机构", Office, 0.8, &["公共服务", "城市管理", "环境卫生"]),
    industry("印刷/包装/造纸", Blue, 0.8, &["印刷", "包装材料", "纸业"]),
    industry("家具/家电/玩具/礼品", Blue, 1.2, &["家具", "电器", "玩具", "工艺礼品"]),
];

/// Index of an industry by name; used to resolve the occupation → industry tables.
pub(crate) fn industry_index(name: &str) -> Option<usize> {
    INDUSTRIES.iter().position(|i| i.name == name)
}

/// Characters of company trade names (字号): two are drawn per company.
pub(crate) static SYLLABLES: &[&str] = &[
    "华", "盛", "鑫", "达", "恒", "泰", "瑞", "博", "创", "优", "智", "联", "宏", "信", "通", "天", "海", "中", "德",
    "丰", "源", "汇", "金", "嘉", "新", "美", "云", "星", "亿", "佳", "安", "成", "远", "科", "卓", "聚", "昊", "润",
    "昌", "隆", "腾", "翔", "宇", "睿", "凯", "骏", "诚", "和", "顺", "易", "迅", "捷", "微", "数", "极", "光", "启",
    "明", "晨", "东", "南", "锦", "绿", "青", "蓝", "万", "百", "众", "国", "龙", "鹏", "飞", "扬", "志", "立", "正",
    "道", "方", "致", "思", "慧", "元", "辰", "尚", "品", "逸", "悦", "乐", "康", "富", "祥", "福", "兴", "旺", "荣",
    "耀", "威", "力", "铭", "合", "友", "永", "长", "通", "汉", "豪", "领", "航", "弘", "毅", "晟", "煜", "峰", "川",
    "山", "泽", "林", "森", "阳", "日", "月", "宸", "璟", "贝", "壳", "橙",
];

/// Legal-form suffixes with their weights (有限公司 dominates).
pub(crate) static COMPANY_SUFFIXES: &[(&str, f64)] =
    &[("有限公司", 70.0), ("有限责任公司", 8.0), ("股份有限公司", 12.0), ("集团有限公司", 5.0)];
