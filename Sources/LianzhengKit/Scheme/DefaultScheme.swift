/// The shipped default scheme (SPEC §3): the same JSON text as
/// `Datasets/schemes/default.json` (which adds a final newline).
extension SchemeParser {
    /// The text of `Datasets/schemes/default.json`.
    public static let defaultSchemeText = """
{
  "name": "默认评分方案",
  "version": "1.0",
  "levels": [
    {"name": "一级", "aliases": ["高", "1", "Ⅰ", "I"], "min_score": 70, "supervisor": "单位主要领导、纪检监察机构"},
    {"name": "二级", "aliases": ["中", "2", "Ⅱ", "II"], "min_score": 40, "supervisor": "分管领导"},
    {"name": "三级", "aliases": ["低", "3", "Ⅲ", "III"], "min_score": 0, "supervisor": "科室负责人"}
  ],
  "level_floors": [],
  "risk": {
    "weights": {"power": 0.45, "discretion": 0.25, "history": 0.30},
    "power_kinds": {
      "行政许可": 1.0, "行政审批": 1.0, "行政处罚": 1.0, "行政强制": 0.9,
      "行政征收": 0.9, "项目审批": 1.0, "工程建设": 1.0, "资金管理": 1.0,
      "物资采购": 0.9, "人事管理": 0.9, "财务管理": 0.9, "监督检查": 0.6,
      "行政确认": 0.6, "内部事务": 0.3, "其他": 0.2
    },
    "amount_cap": 10000,
    "count_cap": 1000,
    "key_decisions_floor": 0.9,
    "half_life_years": 2,
    "window_years": 5,
    "history_scale": 5,
    "incident_kinds": {
      "信访举报": 1, "投诉": 0.5, "提醒谈话": 1, "诫勉谈话": 3, "通报批评": 2,
      "责令整改": 2, "行政复议撤销": 2, "行政诉讼败诉": 2, "党纪政纪处分": 6,
      "司法追究": 10
    },
    "status_factors": {"属实": 1.0, "部分属实": 0.6, "待核实": 0.3, "不属实": 0.0}
  },
  "assessment": {
    "indicators": [
      {"name": "领导重视", "max": 25}, {"name": "目标具体", "max": 25},
      {"name": "注重成效", "max": 30}, {"name": "材料详实", "max": 20}
    ],
    "bonus_cap": 5,
    "deduction_cap": null,
    "auto_deductions": {
      "提醒谈话": 0.5, "诫勉谈话": 2, "通报批评": 1, "责令整改": 1,
      "行政复议撤销": 1, "行政诉讼败诉": 1, "党纪政纪处分": 5
    },
    "veto_kinds": ["司法追究"],
    "bands": [
      {"name": "优秀", "min": 90}, {"name": "良好", "min": 80},
      {"name": "及格", "min": 60}, {"name": "不及格", "min": 0}
    ],
    "quota": {"band": "优秀", "share": 0.15}
  },
  "flags": {"peer_z": 3.5, "peer_min_group": 5, "peer_min_hraw": 3, "score_jump": 20, "rotation_years": 5, "boilerplate_min_posts": 3}
}
"""
}
