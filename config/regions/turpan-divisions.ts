// Data table for the 吐鲁番市 (Turpan) demo region, consumed by ./generate.ts.
//
// REAL (public data):
//   - city, 区县 and 乡级 names and codes: 国家统计局《2023年统计用区划代码和城乡划分代码》
//     (截止 2023-06-30). The 乡级 list below is the complete official list under each 区县,
//     including the 场/矿区/兵团 units that the statistical code list places there (4xx, 5xx).
//   - district areaKm2: rounded public land-area figures (for reference; the layout uses outlines).
// GENERATED (not real):
//   - every 村/社区 (12-digit) and 网格 (15-digit) unit and its name: picked deterministically by
//     generate.ts from the name pools at the bottom of this file;
//   - every boundary below the 区县 (seeded Voronoi cells; the 区县 outlines are real, from
//     ./source/turpan-echarts-amap.js, see README.md);
//   - all `population` values: ESTIMATES FOR THE DEMO ONLY (city ≈ 690,000), not census data.

/** How a 乡级 unit's 村级 children are coded and named. */
export type TownshipKind =
  | 'street' // 街道 / 矿区: 社区 001, 002, …
  | 'town' // 镇: one 社区 001 + 村 201, 202, …
  | 'township' // 乡: 村 201, 202, …
  | 'farm' // 国营场: one 社区 001 + 生产队 201, 202, … (一队, 二队, …)
  | 'corps' // 兵团团场: one 社区 001 + 连队 201, 202, … (一连, 二连, …)

export interface TownshipRow {
  code: string // 9-digit 统计用区划代码 (real)
  name: string // real
  kind: TownshipKind
  population: number // demo estimate
}

export interface DistrictRow {
  code: string // 6-digit (real)
  name: string // real
  areaKm2: number // approximate real land area (reference only)
  townships: TownshipRow[]
}

export const CITY = { code: '650400', name: '吐鲁番市' } as const

/** Districts in west→east geographic order (layout order). */
export const DISTRICTS: DistrictRow[] = [
  {
    code: '650422', name: '托克逊县', areaKm2: 16_560,
    townships: [
      { code: '650422100', name: '托克逊镇', kind: 'town', population: 38_000 },
      { code: '650422101', name: '库米什镇', kind: 'town', population: 5_000 },
      { code: '650422102', name: '克尔碱镇', kind: 'town', population: 5_000 },
      { code: '650422103', name: '阿乐惠镇', kind: 'town', population: 9_000 },
      { code: '650422104', name: '伊拉湖镇', kind: 'town', population: 16_000 },
      { code: '650422105', name: '夏镇', kind: 'town', population: 17_000 },
      { code: '650422106', name: '博斯坦镇', kind: 'town', population: 16_000 },
      { code: '650422201', name: '郭勒布依乡', kind: 'township', population: 14_000 },
    ],
  },
  {
    code: '650402', name: '高昌区', areaKm2: 13_690,
    townships: [
      { code: '650402001', name: '老城路街道', kind: 'street', population: 45_000 },
      { code: '650402002', name: '高昌路街道', kind: 'street', population: 52_000 },
      { code: '650402003', name: '葡萄沟街道', kind: 'street', population: 30_000 },
      { code: '650402004', name: '红柳河街道', kind: 'street', population: 28_000 },
      { code: '650402100', name: '七泉湖镇', kind: 'town', population: 6_000 },
      { code: '650402101', name: '大河沿镇', kind: 'town', population: 9_000 },
      { code: '650402102', name: '亚尔镇', kind: 'town', population: 38_000 },
      { code: '650402103', name: '艾丁湖镇', kind: 'town', population: 22_000 },
      { code: '650402104', name: '葡萄镇', kind: 'town', population: 24_000 },
      { code: '650402105', name: '火焰山镇', kind: 'town', population: 18_000 },
      { code: '650402203', name: '恰特喀勒乡', kind: 'township', population: 20_000 },
      { code: '650402205', name: '三堡乡', kind: 'township', population: 17_000 },
      { code: '650402206', name: '胜金乡', kind: 'township', population: 15_000 },
      { code: '650402401', name: '原种场', kind: 'farm', population: 3_000 },
      { code: '650402502', name: '兵团二二一团', kind: 'corps', population: 13_000 },
    ],
  },
  {
    code: '650421', name: '鄯善县', areaKm2: 39_760,
    townships: [
      { code: '650421100', name: '鄯善镇', kind: 'town', population: 52_000 },
      { code: '650421101', name: '七克台镇', kind: 'town', population: 14_000 },
      { code: '650421102', name: '火车站镇', kind: 'town', population: 16_000 },
      { code: '650421103', name: '连木沁镇', kind: 'town', population: 30_000 },
      { code: '650421104', name: '鲁克沁镇', kind: 'town', population: 32_000 },
      { code: '650421105', name: '辟展镇', kind: 'town', population: 20_000 },
      { code: '650421106', name: '迪坎镇', kind: 'town', population: 12_000 },
      { code: '650421201', name: '东巴扎回族乡', kind: 'township', population: 12_000 },
      { code: '650421202', name: '吐峪沟乡', kind: 'township', population: 19_000 },
      { code: '650421203', name: '达朗坎乡', kind: 'township', population: 15_000 },
      { code: '650421400', name: '南山矿区', kind: 'street', population: 4_000 },
      { code: '650421401', name: '园艺场', kind: 'farm', population: 4_000 },
    ],
  },
]

// ---- GENERATED-name pools (plausible, NOT the real 村/社区 names of these townships) ----

/** 社区 name stems → "<stem>社区". */
export const COMMUNITY_STEMS: readonly string[] = [
  '团结', '幸福', '和平', '光明', '文化', '友谊', '新城', '迎宾', '丝路', '火洲', '交河', '绿洲',
  '天山', '青年', '春晖', '金秋', '长安', '东环', '西环', '南湖', '北园', '葡萄园', '坎儿井', '胜利',
]

/** 村 name stems → "<stem>村". */
export const VILLAGE_STEMS: readonly string[] = [
  '红星', '幸福', '英买里', '团结', '前进', '红旗', '东风', '胜利', '光明', '新华', '火焰',
  '坎儿井', '葡萄', '木头沟', '苏贝希', '阿瓦提', '英吐尔', '巴格日', '喀拉霍加', '吐格曼博依',
  '阔坦', '琼库勒', '托特坎儿孜', '依格孜艾日克', '拜什塔木', '其盖布拉克', '铁提尔', '上湖',
  '下湖', '新湖', '卡格托尔', '色日克布亚', '乔克塔木', '阿克塔木', '巴扎', '兰干', '吾斯塘博依',
]

/** Ordinals for 连队 / 生产队: "一连", "二队", … */
export const ORDINALS: readonly string[] = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十']
