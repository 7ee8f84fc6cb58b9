// Every string the explorer shows, in Chinese (the default) and English, in one table: keys → {zh, en}, a string
// or a function of the values it says. The `satisfies` below makes tsc (npm run typecheck) refuse an entry that
// lacks either language, and e2e/i18n.test.mjs checks that none is empty. t(key, ...values) says an entry in the
// language chosen; nameOf(record) picks a record's Chinese or English name the same way.
//
// The language is chosen with the switch in the header: kept in localStorage (chainmap.lang) and, for English, in
// the address (#…&lang=en, so a shared link opens in it), and told to the server's pages (the printable reports,
// sign-in) by the chainmap_lang cookie and by ?lang= on the links to them. The API's errors are said from their
// code and reason (errorText), with the server's English text as detail. No browser code runs at import, so node can load the
// table for the check.
import { useSyncExternalStore } from 'react';

export type Lang = 'zh' | 'en';
export const LANGS: [Lang, string][] = [['zh', '中文'], ['en', 'English']];

type Fn = (...a: any[]) => string;
type Entry = { zh: string; en: string } | { zh: Fn; en: Fn };

const s = (n: number, one: string, many: string) => (n === 1 ? one : many);

const TABLE = {
  // ---- the header ----
  brand: { zh: '京津冀产业链图谱', en: 'Jing-Jin-Ji chain maps' },
  brandSub: { zh: '产业链图谱浏览器', en: 'chain-map explorer' },
  language: { zh: '语言', en: 'Language' },
  chainPicker: { zh: '产业链', en: 'Chain map' },
  loading: { zh: '加载中…', en: 'Loading…' },
  view: { zh: '视图', en: 'View' },
  'tab.chain': { zh: '链条', en: 'Chain' },
  'tab.map': { zh: '地图', en: 'Map' },
  'tab.flags': { zh: '报告', en: 'Reports' },
  'count.segments': { zh: '个环节', en: 'segments' },
  'count.enterprises': { zh: '家企业', en: 'enterprises' },
  'count.bottlenecks': { zh: '个瓶颈', en: 'bottlenecks' },
  truncated: { zh: (n: number) => `已截断：最多显示 ${n} 个节点`, en: (n: number) => `truncated at ${n} nodes` },
  gapsToggle: { zh: '覆盖缺口', en: 'Coverage gaps' },
  suppliesTooMany: { zh: '供应关系过多，无法同时绘制', en: 'Too many supply links to draw at once' },
  supplies: { zh: '供应关系', en: 'Supply links' },
  sheets: { zh: '表格（上传修改）', en: 'Spreadsheets (upload)' },
  ide: { zh: 'GraphQL IDE（开发者）', en: 'GraphQL IDE (developers)' },
  ideTitle: { zh: '开发者用的 GraphQL 查询界面', en: 'The GraphQL query editor, for developers' },
  asOf: { zh: (d: string) => `数据截至 ${d}`, en: (d: string) => `Data as of ${d}` },
  asOfTitle: {
    zh: '本产业链各记录所引来源中最新的日期',
    en: 'The date of the newest source cited by the records of this chain',
  },
  // ---- print and download: exactly what is on screen ----
  printReport: { zh: '打印报告', en: 'Print report' },
  downloadExcel: { zh: '下载 Excel', en: 'Download Excel' },
  downloadCsv: { zh: '下载 CSV', en: 'Download CSV' },
  printChainTitle: { zh: (chain: string) => `可打印的产业链报告：${chain}`, en: (chain: string) => `The printable report of ${chain}` },
  printRegionTitle: {
    zh: (region: string, chain: string) => `可打印的地区页：${region} · ${chain}`,
    en: (region: string, chain: string) => `The printable page of ${region} for ${chain}`,
  },
  downloadChainTitle: {
    zh: (chain: string) => `${chain}的企业（Excel 含第二张表：企业地点）`,
    en: (chain: string) => `The firms of ${chain} (the Excel workbook has their sites in a second sheet)`,
  },
  downloadRegionTitle: {
    zh: (chain: string, region: string) => `${chain}在${region}有地点的企业`,
    en: (chain: string, region: string) => `The firms of ${chain} with a site in ${region}`,
  },
  downloadBottlenecks: { zh: '下载瓶颈 CSV', en: 'Bottlenecks CSV' },
  downloadBottlenecksTitle: {
    zh: (region: string) => `${region}企业所遇到的未解决瓶颈（未解决、攻关中）`,
    en: (region: string) => `The unresolved bottlenecks (open, in progress) that the firms of ${region} meet`,
  },
  // ---- messages ----
  signInNeeded: {
    zh: (err: string) => `本服务器只向已登录的读者展示数据，此浏览器尚未登录（或其令牌未被接受）：${err}。`,
    en: (err: string) =>
      `This server shows its data to signed-in readers only, and this browser is not signed in (or its token is not accepted): ${err}.`,
  },
  signIn: { zh: '登录', en: 'Sign in' },
  zoomIn: { zh: '放大', en: 'Zoom in' },
  zoomOut: { zh: '缩小', en: 'Zoom out' },
  fitTitle: { zh: '显示整条产业链', en: 'Show the whole chain' },
  fit: { zh: '全图', en: 'Fit' },
  loadingChain: { zh: '正在加载产业链…', en: 'Loading the chain…' },
  noSegments: { zh: '该产业链图谱尚无环节。', en: 'This chain map has no segments yet.' },
  close: { zh: '关闭', en: 'Close' },
  closeEsc: { zh: '关闭（Esc）', en: 'Close (Esc)' },
  detailsError: { zh: (e: string) => `无法加载详情：${e}`, en: (e: string) => `Could not load the details: ${e}` },
  loadingName: { zh: (n: string) => `正在加载 ${n}…`, en: (n: string) => `Loading ${n}…` },
  gone: { zh: '该记录已不存在。', en: 'This record no longer exists.' },
  // ---- the API's errors: extensions.code (and reason), with the server's English text as detail ----
  errorWithDetail: {
    zh: (msg: string, detail: string) => `${msg}（服务器原文：${detail}）`,
    en: (msg: string, detail: string) => `${msg} (the server said: ${detail})`,
  },
  'error.UNKNOWN': { zh: '出错了', en: 'Something went wrong' },
  'error.NETWORK': { zh: '服务器没有响应，请检查网络后重试', en: 'The server did not answer: check the connection and try again' },
  'error.BAD_REQUEST': { zh: '请求格式有误', en: 'The request was malformed' },
  'error.METHOD_NOT_ALLOWED': { zh: '服务器不接受这种请求方式', en: 'The server does not take this kind of request' },
  'error.UNSUPPORTED_MEDIA_TYPE': { zh: '服务器不接受这种内容类型', en: 'The server does not take this content type' },
  'error.BAD_USER_INPUT': { zh: '输入有误', en: 'The input is not valid' },
  'error.UNAUTHENTICATED': { zh: '需要登录（或令牌无效）', en: 'A sign-in is needed (or the token is not valid)' },
  'error.FORBIDDEN': { zh: '当前角色无权执行此操作', en: 'Your role may not do this' },
  'error.NOT_FOUND': { zh: '记录不存在（可能已被删除）', en: 'The record does not exist (it may have been deleted)' },
  'error.CONFLICT': { zh: '与图谱中的数据或他人的修改冲突：请重新读取记录后再决定', en: "It conflicts with the graph or with another editor's change: read the record again and decide" },
  'error.UNAVAILABLE': { zh: '数据库暂时无法访问或服务器繁忙，请稍后重试', en: 'The database cannot be reached or the server is busy: try again shortly' },
  'error.REPLICA_BEHIND': { zh: '数据库副本尚未同步最新的修改，请稍后重试', en: 'The database has not caught up with the latest change yet: try again shortly' },
  'error.WRONG_TRANSPORT': { zh: '请求的传输方式不对', en: 'The request used the wrong transport' },
  'error.TOO_MANY_STREAMS': { zh: '实时更新的连接过多，请关闭一些页面', en: 'Too many live-update connections: close some pages' },
  'error.TOO_MANY_REQUESTS': { zh: '请求过于频繁，请稍候再试', en: 'Too many requests: wait a little and try again' },
  'error.INTERNAL': { zh: '服务器内部错误（已记录）', en: 'An internal error of the server (it is logged)' },
  'errorReason.QUERY_TOO_LARGE': { zh: '查询过长', en: 'The query is too long' },
  'errorReason.TOO_MANY_FIELDS': { zh: '查询的字段过多', en: 'The query selects too many fields' },
  'errorReason.TOO_MANY_ALIASES': { zh: '查询的别名过多', en: 'The query has too many aliases' },
  'errorReason.TOO_MANY_FRAGMENT_SPREADS': { zh: '查询的片段展开过多', en: 'The query spreads too many fragments' },
  'errorReason.TOO_MANY_REPEATS': { zh: '查询中重复的字段过多', en: 'The query repeats a field too often' },
  'errorReason.FRAGMENT_CYCLE': { zh: '查询的片段循环引用', en: 'A fragment of the query spreads itself' },
  'errorReason.DEPTH_LIMIT': { zh: '查询嵌套过深', en: 'The query is nested too deep' },
  'errorReason.COMPLEXITY_LIMIT_EXCEEDED': { zh: '查询过于复杂，请减少所取的条数', en: 'The query is too complex: ask for fewer items' },
  'errorReason.GRAPHQL_PARSE_FAILED': { zh: '查询不是有效的 GraphQL', en: 'The query is not GraphQL' },
  'errorReason.GRAPHQL_VALIDATION_FAILED': { zh: '查询与接口定义不符', en: 'The query does not fit the schema' },
  'errorReason.PERSISTED_QUERY_NOT_FOUND': { zh: '服务器没有这条已存查询', en: 'The server does not have this persisted query' },
  'errorReason.PERSISTED_QUERY_INVALID': { zh: '已存查询的散列值无效', en: 'The persisted query hash is not valid' },
  'errorReason.RESPONSE_TOO_LARGE': { zh: '结果过大，请减少所取的条数', en: 'The answer would be too large: ask for fewer items' },
  // ---- the chain's overview ----
  'kicker.chain': { zh: '产业链', en: 'Chain map' },
  hint1: { zh: '环节自左向右由上游到下游排列；箭头表示供给关系（FEEDS）。', en: 'Segments run upstream → downstream, left to right; arrows are FEEDS links.' },
  hint2: { zh: '点击企业、环节或瓶颈，查看详情和来源。', en: 'Click a firm, segment or bottleneck for its details and sources.' },
  hint3: { zh: '点击瓶颈（◆），高亮它在下游制约的环节和企业。', en: 'Click a bottleneck (◆) to light up what it holds back downstream.' },
  hint4: {
    zh: '“覆盖缺口”标出不符合“北京研发、津冀制造”格局的环节。',
    en: '“Coverage gaps” marks segments missing from the R&D-in-Beijing, manufacturing-in-Tianjin–Hebei pattern.',
  },
  officialLists: { zh: '官方清单', en: 'Official lists' },
  'listKind.CHOKEPOINT_LIST': { zh: '卡点（攻关）清单', en: 'chokepoint list' },
  'listKind.GAP_LIST': { zh: '堵点（招商）清单', en: 'gap list' },
  'listKind.KEY_FIRM_LIST': { zh: '重点企业清单', en: 'key firm list' },
  'listKind.FIRM_TIER_LIST': { zh: '企业梯队清单', en: 'firm tier list' },
  'listKind.TASK_LIST': { zh: '任务清单', en: 'task list' },
  'listKind.TARGET_LIST': { zh: '招商目标企业清单', en: 'target list' },
  listHolds: {
    zh: (held: number, items: number) => `图谱收录了清单所列 ${items} 项中的 ${held} 项`,
    en: (held: number, items: number) => `the graph holds ${held} of ${items} named entries`,
  },
  listNoEntry: { zh: '无来源列出的条目', en: 'no entry named by a source' },
  listStated: { zh: (n: number) => `清单共 ${n} 项`, en: (n: number) => `the list has ${n}` },
  listMissing: { zh: (m: string) => `缺：${m}`, en: (m: string) => `missing: ${m}` },
  // ---- tooltips on the drawing ----
  'type.Bottleneck': { zh: '瓶颈', en: 'Bottleneck' },
  'type.Segment': { zh: '环节', en: 'Segment' },
  'type.Enterprise': { zh: '企业', en: 'Enterprise' },
  'type.Institution': { zh: '机构', en: 'Institution' },
  'type.ChainMap': { zh: '产业链图谱', en: 'Chain map' },
  'type.Site': { zh: '地点', en: 'Site' },
  'type.Park': { zh: '园区', en: 'Park' },
  'type.Indicator': { zh: '指标', en: 'Indicator' },
  'type.Source': { zh: '来源', en: 'Source' },
  severityN: { zh: (n: string | number) => `严重程度 ${n}`, en: (n: string | number) => `severity ${n}` },
  constrainsN: { zh: (n: number) => `制约 ${n} 个环节`, en: (n: number) => `constrains ${n} segments` },
  gapIs: { zh: (k: string) => `缺口：${k}`, en: (k: string) => `gap: ${k}` },
  noSiteKnown: { zh: '无已知地点', en: 'No site known' },
  // ---- the legend ----
  'legend.enterprises': { zh: '企业', en: 'Enterprises' },
  'province.110000': { zh: '北京', en: 'Beijing' },
  'province.120000': { zh: '天津', en: 'Tianjin' },
  'province.130000': { zh: '河北', en: 'Hebei' },
  'legend.multi': { zh: '跨省', en: 'Several provinces' },
  'legend.other': { zh: '其他地区', en: 'Elsewhere' },
  'legend.bottlenecks': { zh: '瓶颈', en: 'Bottlenecks' },
  'legend.size': { zh: '大小 = 严重程度 1–5', en: 'size = severity 1–5' },
  'legend.feeds': { zh: '上下游衔接', en: 'Feeds' },
  'legend.supplies': { zh: '企业供货', en: 'Supplies' },
  'legend.held': { zh: '受该瓶颈制约', en: 'Held back by the bottleneck' },
  // ---- enumerations ----
  'status.OPEN': { zh: '未解决', en: 'Open' },
  'status.IN_PROGRESS': { zh: '攻关中', en: 'In progress' },
  'status.RESOLVED': { zh: '已解决', en: 'Resolved' },
  'bkind.CHOKEPOINT': { zh: '卡点', en: 'Chokepoint' },
  'bkind.GAP': { zh: '堵点', en: 'Gap' },
  'role.CHAIN_MASTER': { zh: '链主', en: 'Chain master' },
  'role.LEAD': { zh: '龙头', en: 'Lead firm' },
  'role.SUPPORTING': { zh: '配套', en: 'Supporting' },
  'site.HQ': { zh: '总部', en: 'HQ' },
  'site.RD': { zh: '研发', en: 'R&D' },
  'site.MANUFACTURING': { zh: '制造', en: 'Manufacturing' },
  'site.ASSEMBLY': { zh: '组装', en: 'Assembly' },
  'site.TESTING': { zh: '检测', en: 'Testing' },
  'site.PILOT': { zh: '中试', en: 'Pilot' },
  'stage.UPSTREAM': { zh: '上游', en: 'Upstream' },
  'stage.MIDSTREAM': { zh: '中游', en: 'Midstream' },
  'stage.DOWNSTREAM': { zh: '下游', en: 'Downstream' },
  'band.UPSTREAM': { zh: '上游', en: 'UPSTREAM' },
  'band.MIDSTREAM': { zh: '中游', en: 'MIDSTREAM' },
  'band.DOWNSTREAM': { zh: '下游', en: 'DOWNSTREAM' },
  'band.IN': { zh: '来自其他产业链', en: 'FROM OTHER CHAINS' },
  'band.OUT': { zh: '通往其他产业链', en: 'TO OTHER CHAINS' },
  'band.UNPLACED': { zh: '未归入环节', en: 'NOT IN A SEGMENT' },
  'category.KEY_COMPONENT': { zh: '关键零部件', en: 'Key component' },
  'category.MATERIAL': { zh: '材料', en: 'Material' },
  'category.EQUIPMENT': { zh: '装备', en: 'Equipment' },
  'category.SOFTWARE': { zh: '软件', en: 'Software' },
  'category.PROCESS': { zh: '工艺', en: 'Process' },
  'category.STANDARD': { zh: '标准', en: 'Standard' },
  'category.TESTING': { zh: '检测', en: 'Testing' },
  'confidence.REPORTED': { zh: '有来源', en: 'Reported' },
  'confidence.ILLUSTRATIVE': { zh: '示意', en: 'Illustrative' },
  'confidenceTitle.REPORTED': { zh: '所引来源明确载有此事', en: 'A cited source states it' },
  'confidenceTitle.ILLUSTRATIVE': {
    zh: '一般性的产业结构，京津冀来源未具体说明（仍引用描述它的来源）',
    en: 'General industry structure that no Jing-Jin-Ji source spells out (it still cites the source describing it)',
  },
  'reliability.OFFICIAL': { zh: '官方', en: 'Official' },
  'reliability.MEDIA': { zh: '媒体', en: 'Media' },
  'reliability.MIRROR': { zh: '转载', en: 'Mirror' },
  'reliability.AGGREGATOR': { zh: '聚合', en: 'Aggregator' },
  'reliability.REFERENCE': { zh: '参考', en: 'Reference' },
  'gap.RD_WITHOUT_MANUFACTURING': { zh: '有研发无制造', en: 'R&D without manufacturing' },
  'gap.NO_FIRM_IN_REGION': { zh: '区域内无企业', en: 'No firm in the region' },
  'gapHint.RD_WITHOUT_MANUFACTURING': {
    zh: '有企业在北京研发（或设总部），但没有一家在天津或河北制造',
    en: 'firms do R&D (or have headquarters) in Beijing, but none manufactures in Tianjin or Hebei',
  },
  'gapHint.NO_FIRM_IN_REGION': {
    zh: '京津冀没有企业活跃于该环节（可能的堵点）',
    en: 'no firm of Jing-Jin-Ji is active in the segment (a candidate 堵点)',
  },
  'linkKind.RD_TO_PRODUCTION': { zh: '研发 → 生产', en: 'R&D → production' },
  'linkKind.EXPANSION': { zh: '扩建', en: 'Expansion' },
  'linkKind.RELOCATION': { zh: '迁移', en: 'Relocation' },
  'linkKind.RD_TO_RD': { zh: '研发 → 研发', en: 'R&D → R&D' },
  'linkKind.COLLABORATION': { zh: '合作', en: 'Collaboration' },
  'linkKind.LICENSING': { zh: '许可', en: 'Licensing' },
  // ---- the side panel ----
  'kicker.enterprise': { zh: '企业', en: 'Enterprise' },
  'kicker.segment': {
    zh: (stage: string, order: number, chain: string) => `环节 — ${chain}第 ${order} 环，${stage}`,
    en: (stage: string, order: number, chain: string) => `Segment — ${stage}, #${order} of ${chain}`,
  },
  'kicker.bottleneck': { zh: (kind: string) => `瓶颈 · ${kind}`, en: (kind: string) => `Bottleneck · ${kind}` },
  sources: { zh: '来源', en: 'Sources' },
  confidenceLabel: { zh: '可信度', en: 'How it is known' },
  recordAsOf: { zh: (d: string) => `截至 ${d}`, en: (d: string) => `as of ${d}` },
  recordAsOfTitle: { zh: '此记录所引最新来源的日期', en: 'The date of the newest source this record cites' },
  noSource: { zh: '未记录来源。', en: 'No source recorded.' },
  synthetic: { zh: '合成数据', en: 'Synthetic' },
  segments: { zh: '环节', en: 'Segments' },
  sites: { zh: '地点', en: 'Sites' },
  noneRecorded: { zh: '未记录', en: 'None recorded' },
  enterprisesDrawn: { zh: '图中企业', en: 'Enterprises drawn' },
  fedBy: { zh: '上游（供给本环节）', en: 'Fed by' },
  feeds: { zh: '下游（本环节供给）', en: 'Feeds' },
  bottlenecks: { zh: '瓶颈', en: 'Bottlenecks' },
  severityStatus: {
    zh: (n: number, status: string) => `严重程度 ${n}，${status}`,
    en: (n: number, status: string) => `severity ${n}, ${status}`,
  },
  severityTitle: { zh: '严重程度 1（轻微）到 5（依赖进口的卡点）', en: 'Severity 1 (minor) to 5 (import-dependent chokepoint)' },
  severity: { zh: '严重程度', en: 'Severity' },
  constrains: { zh: '制约环节', en: 'Constrains' },
  tackledBy: { zh: '攻关方', en: 'Tackled by' },
  noOne: { zh: '未记录', en: 'No one recorded' },
  institutionParen: { zh: '（机构）', en: ' (institution)' },
  since: { zh: (y: string) => `，始于 ${y}`, en: (y: string) => `, since ${y}` },
  impactUnavailable: { zh: (e: string) => `无法计算影响：${e}`, en: (e: string) => `Impact unavailable: ${e}` },
  impactTracing: { zh: '正在追踪下游影响…', en: 'Tracing the impact downstream…' },
  impact: { zh: '影响范围', en: 'Impact' },
  impactHolds: {
    zh: (segs: number, firms: number, depth: number, truncated: boolean) =>
      `在下游 ${depth} 跳以内制约 ${segs} 个环节和 ${firms} 家企业${truncated ? '（已截断）' : ''}。`,
    en: (segs: number, firms: number, depth: number, truncated: boolean) =>
      `Holds back ${segs} ${s(segs, 'segment', 'segments')} and ${firms} ${s(firms, 'enterprise', 'enterprises')} within ${depth} hops downstream${truncated ? ' (truncated)' : ''}.`,
  },
  impactElsewhere: {
    zh: (n: number) => `其中 ${n} 家企业在其他产业链的环节，未在此图中绘出。`,
    en: (n: number) => `${n} of the firms work in other chains' segments and are not drawn here.`,
  },
  coverageGap: { zh: '覆盖缺口：', en: 'Coverage gap:' },
  coverageGaps: { zh: '覆盖缺口', en: 'Coverage gaps' },
  gapsExplain: {
    zh: '不符合“北京研发、津冀制造”格局的环节。',
    en: 'Segments outside the R&D-in-Beijing, manufacturing-in-Tianjin–Hebei pattern.',
  },
  noGap: { zh: '该产业链没有覆盖缺口。', en: 'No coverage gap in this chain.' },
  gapStats: {
    zh: (rd: number, mfg: number, open: number) => `北京研发企业 ${rd} · 津冀制造企业 ${mfg} · 未解决瓶颈 ${open}`,
    en: (rd: number, mfg: number, open: number) =>
      `R&D firms in Beijing ${rd} · manufacturers in Tianjin–Hebei ${mfg} · open bottlenecks ${open}`,
  },
  // ---- progress ----
  progress: { zh: '攻关进展', en: 'Progress over time' },
  progressTitle: {
    zh: (chain: string) => `${chain}各年末的瓶颈：已解决、攻关中、未解决`,
    en: (chain: string) => `Bottlenecks of ${chain} at the end of each year: resolved, in progress, open`,
  },
  progressNone: {
    zh: '该产业链的瓶颈尚无带日期的攻关或状态变化。',
    en: 'No tackler or status change of this chain’s bottlenecks is dated yet.',
  },
  'progress.RESOLVED': { zh: '已解决', en: 'resolved' },
  'progress.IN_PROGRESS': { zh: '攻关中', en: 'in progress' },
  'progress.OPEN': { zh: '未解决', en: 'open' },
  progressYear: {
    zh: (y: number, resolved: number, inProgress: number, open: number, started: number, resolvedInYear: number) =>
      `${y}年：已解决 ${resolved}，攻关中 ${inProgress}，未解决 ${open}${started || resolvedInYear ? `（当年开始攻关 ${started}，当年解决 ${resolvedInYear}）` : ''}`,
    en: (y: number, resolved: number, inProgress: number, open: number, started: number, resolvedInYear: number) =>
      `${y}: ${resolved} resolved, ${inProgress} in progress, ${open} open${started || resolvedInYear ? ` (${started} started and ${resolvedInYear} resolved in the year)` : ''}`,
  },
  // ---- the map ----
  'kicker.map': { zh: '地图', en: 'Map' },
  mapAria: {
    zh: (metric: string) => `京津冀地图，按${metric}着色`,
    en: (metric: string) => `Map of Beijing, Tianjin and Hebei coloured by ${metric}`,
  },
  colourBy: { zh: '地区着色依据', en: 'Colour regions by' },
  'metric.firms': { zh: '企业', en: 'Firms' },
  'metric.bottlenecks': { zh: '未解决瓶颈', en: 'Open bottlenecks' },
  unitValue: {
    zh: (name: string, n: number, firms: boolean) => `${name}：${n} ${firms ? '家企业' : '个未解决瓶颈'}`,
    en: (name: string, n: number, firms: boolean) => `${name}: ${n} ${firms ? 'firms' : 'open bottlenecks'}`,
  },
  regionTooltip: {
    zh: (firms: number, open: number, inN: number, outN: number) => `${firms} 家企业 · ${open} 个未解决瓶颈 · 流入 ${inN} 条关联 · 流出 ${outN} 条`,
    en: (firms: number, open: number, inN: number, outN: number) =>
      `${firms} firms · ${open} open bottlenecks · ${inN} links in · ${outN} out`,
  },
  loadingMap: { zh: '正在加载地图…', en: 'Loading the map…' },
  linkKinds: { zh: '研发 → 制造关联', en: 'R&D → manufacturing links' },
  firmsInChain: { zh: '本产业链企业', en: 'Firms in this chain' },
  andMore: { zh: (n: number) => `另有 ${n} 条`, en: (n: number) => `and ${n} more` },
  regionBottlenecks: { zh: '其企业遇到的未解决瓶颈', en: 'Open bottlenecks its firms meet' },
  severityDot: { zh: (n: number, status: string) => `严重程度 ${n} · ${status}`, en: (n: number, status: string) => `severity ${n} · ${status}` },
  mapHint1: {
    zh: (firms: boolean) => `地区按所选产业链${firms ? '在当地有地点的企业数' : '其企业遇到的未解决瓶颈数'}着色。`,
    en: (firms: boolean) =>
      `Regions are coloured by the chosen chain's ${firms ? 'firms with a site there' : 'open bottlenecks its firms meet'}.`,
  },
  mapHint2: {
    zh: '弧线从研发→制造关联的北京端指向其天津或河北端；越粗关联越多。',
    en: 'Arcs run from the Beijing end of an R&D→manufacturing link to its Tianjin or Hebei end; thicker = more links.',
  },
  mapHint3: { zh: '点击地区，查看其企业、瓶颈和关联。', en: 'Click a region for its firms, bottlenecks and links.' },
  mapHint4: {
    zh: '河北按地级市绘制；雄安（雄县、容城县、安新县）单列，不计入保定。',
    en: "Hebei is drawn by city; Xiong'an (雄县, 容城县, 安新县) apart from Baoding.",
  },
  linksArriving: { zh: '流入的关联', en: 'Links arriving' },
  linksLeaving: { zh: '流出的关联', en: 'Links leaving' },
  fromRegion: { zh: (r: string) => ` · 来自 ${r}`, en: (r: string) => ' · from ' + r },
  toRegion: { zh: (r: string, n: number) => `至 ${r}：${n}`, en: (r: string, n: number) => `to ${r}: ${n}` },
  derived: { zh: '（推断）', en: ' (derived)' },
  regionPicker: { zh: '地区', en: 'Region' },
  regionPickerNone: { zh: '— 选择地区 —', en: '— pick a region —' },
  // ---- the planner's region page and scenario ----
  regionPage: { zh: '地区页', en: 'Region page' },
  openRegionPage: { zh: '地区页：缺口、候选、风险 →', en: 'Region page: gaps, candidates, exposure →' },
  chainsHere: { zh: '本地产业链', en: 'Chains here' },
  firmsN: { zh: (n: number) => `${n} 家企业`, en: (n: number) => `${n} ${s(n, 'firm', 'firms')}` },
  holds: { zh: (held: number, all: number) => `拥有 ${all} 个环节中的 ${held} 个`, en: (held: number, all: number) => `holds ${held} of ${all} segments` },
  gapsTitle: { zh: '缺什么、谁能补（补链）', en: 'What it lacks, and who could fill it' },
  noGaps: { zh: '该产业链每个环节在此都有不止一家企业。', en: 'Every segment of this chain has more than one firm here.' },
  'gapStatus.ABSENT': { zh: '缺', en: 'absent' },
  'gapStatus.THIN': { zh: '弱', en: 'thin' },
  'gapStatus.LOST': { zh: '断', en: 'lost' },
  'gapStatus.WEAKENED': { zh: '削弱', en: 'weakened' },
  inRegion: { zh: (n: number) => `本地 ${n} 家`, en: (n: number) => `${n} here` },
  fedByShort: { zh: '上游', en: 'fed by' },
  feedsShort: { zh: '下游', en: 'feeds' },
  none: { zh: '—', en: '—' },
  firmList: { zh: (n: number) => `京津冀其他地方的企业（${n}）`, en: (n: number) => `Firms elsewhere in Jing-Jin-Ji (${n})` },
  rdList: { zh: (n: number) => `匹配的北京研发力量（${n}）`, en: (n: number) => `Beijing R&D that fits (${n})` },
  parkList: { zh: '本地承载其上下游的园区', en: 'Parks here hosting its neighbours' },
  partsLegend: { zh: '每条横条是一项得分，按构成分段（悬停查看原因）：', en: 'Each bar is a score, part by part (hover for why):' },
  institution: { zh: '机构', en: 'institution' },
  noCandidate: { zh: '京津冀内暂无', en: 'none in Jing-Jin-Ji' },
  'factor.DISTANCE': { zh: '距离', en: 'distance' },
  'factor.LINKS': { zh: '关联', en: 'links' },
  'factor.SEGMENT_FIT': { zh: '环节匹配', en: 'segment fit' },
  'factor.PAST_MOVES': { zh: '过往迁移', en: 'past moves' },
  'factor.NEIGHBOURS': { zh: '上下游邻近', en: 'neighbours' },
  exposure: { zh: '若停摆：产业链会失去什么（风险）', en: 'If it stopped: what the chain would lose' },
  'figure.stoppedEnterprises': { zh: '家企业停摆', en: 'firms stop' },
  'figure.weakenedEnterprises': { zh: '家企业失去部分地点', en: 'lose some sites' },
  'figure.segmentsLost': { zh: '个环节无企业', en: 'segments left with no firm' },
  'figure.cutOffTotal': { zh: '家企业断供', en: 'firms cut off' },
  'figure.orphanedBottlenecksTotal': { zh: '个瓶颈无人攻关', en: 'bottlenecks untackled' },
  'figure.cutLinksTotal': { zh: '条研发关联中断', en: 'R&D links cut' },
  brokenSegments: { zh: '失去企业的环节', en: 'Segments that lose firms' },
  left: { zh: (n: number) => `剩 ${n}`, en: (n: number) => `${n} left` },
  cutOff: { zh: '在某环节失去全部供应商', en: 'Cut off from every supplier in a segment' },
  nearest: { zh: '最近的替代：', en: 'nearest left:' },
  orphaned: { zh: '无人攻关的瓶颈', en: 'Bottlenecks left with no tackler' },
  cutLinks: { zh: '中断的研发 → 制造关联', en: 'R&D → manufacturing links cut' },
  changes: { zh: '本地变化', en: 'What changed here' },
  noChanges: { zh: '无变化记录。', en: 'No change recorded.' },
  'change.FIRM_ADDED': { zh: '新增企业', en: 'firm added' },
  'change.FIRM_REMOVED': { zh: '移除企业', en: 'firm removed' },
  'change.SITE_ADDED': { zh: '新增地点', en: 'site added' },
  'change.SITE_REMOVED': { zh: '移除地点', en: 'site removed' },
  'change.BOTTLENECK_OPENED': { zh: '新增瓶颈', en: 'bottleneck opened' },
  'change.BOTTLENECK_MOVED': { zh: '瓶颈开始攻关', en: 'bottleneck taken on' },
  'change.BOTTLENECK_RESOLVED': { zh: '瓶颈解决', en: 'bottleneck resolved' },
  'change.LINK_MADE': { zh: '建立关联', en: 'link made' },
  'change.LINK_REMOVED': { zh: '关联移除', en: 'link removed' },
  'timeline.firms': { zh: '新增企业和地点', en: 'firms and sites added' },
  'timeline.bottlenecks': { zh: '开始攻关或解决的瓶颈', en: 'bottlenecks taken on or resolved' },
  'timeline.links': { zh: '建立的关联', en: 'links made' },
  download: { zh: '下载', en: 'Download' },
  gapsCsv: { zh: '缺口 CSV', en: 'gaps CSV' },
  gapsXlsx: { zh: '缺口 Excel', en: 'gaps Excel' },
  exposureCsv: { zh: '风险 CSV', en: 'exposure CSV' },
  changesCsv: { zh: '变化 CSV', en: 'changes CSV' },
  scenario: { zh: '情景推演', en: 'Scenario' },
  scenarioToggle: { zh: '移除地区：点击地图把地区拿掉', en: 'Remove regions: click the map to take regions out' },
  scenarioHint: { zh: '点击地区即移除；产业链的损失显示在这里。', en: 'Click regions to remove them; what the chain loses shows here.' },
  removed: { zh: '已移除', en: 'Removed' },
  clear: { zh: '清空', en: 'clear' },
  landed: { zh: '描边：企业断供之处', en: 'outlined: where firms are cut off' },
  // ---- spreadsheets ----
  'sheets.title': { zh: '表格', en: 'Spreadsheets' },
  'sheets.download': { zh: '下载', en: 'Download' },
  'sheets.downloadHint': {
    zh: '记录以 Excel 工作簿（企业，第二张表为其地点）或 CSV 下载。可在 Excel 中修改后在下方上传。灰色列为只读：上传时忽略。',
    en: 'The records as Excel workbooks (firms with their sites in a second sheet) or CSV. Edit them in Excel and upload them back below. Grey columns are read-only: an upload ignores them.',
  },
  'sheets.firmsExcel': { zh: '企业 · Excel', en: 'Firms · Excel' },
  'sheets.bottlenecksExcel': { zh: '瓶颈 · Excel', en: 'Bottlenecks · Excel' },
  'sheets.firmsCsv': { zh: '企业 · CSV', en: 'Firms · CSV' },
  'sheets.sitesCsv': { zh: '地点 · CSV', en: 'Sites · CSV' },
  'sheets.bottlenecksCsv': { zh: '瓶颈 · CSV', en: 'Bottlenecks · CSV' },
  'sheets.upload': { zh: '上传修改', en: 'Upload changes' },
  'sheets.editors': { zh: '（编辑）', en: '(editors)' },
  'sheets.token': { zh: '编辑令牌', en: 'Editor token' },
  'sheets.tokenPlaceholder': { zh: '具有编辑角色的 API 密钥或 JWT', en: 'an API key or JWT with the editor role' },
  'sheets.file': { zh: '表格文件（.xlsx 或 .csv）', en: 'Spreadsheet (.xlsx or .csv)' },
  'sheets.checking': { zh: (f: string) => `正在检查 ${f}…`, en: (f: string) => `Checking ${f}…` },
  'sheets.applying': { zh: (f: string) => `正在应用 ${f}…`, en: (f: string) => `Applying ${f}…` },
  'sheets.problems': {
    zh: (n: number) => `${n} 处问题；未写入任何内容。`,
    en: (n: number) => `${n} problem(s); nothing was written.`,
  },
  'sheets.sheet': { zh: '工作表', en: 'Sheet' },
  'sheets.cell': { zh: '单元格', en: 'Cell' },
  'sheets.column': { zh: '列', en: 'Column' },
  'sheets.problem': { zh: '问题', en: 'Problem' },
  'sheets.row': { zh: (n: number) => `第 ${n} 行`, en: (n: number) => `row ${n}` },
  'sheets.applied': { zh: '已应用：', en: 'Applied: ' },
  'sheets.summary': {
    zh: (changed: number, added: number, unchanged: number) => `${changed} 处修改 · ${added} 条新增 · ${unchanged} 条未变`,
    en: (changed: number, added: number, unchanged: number) => `${changed} changed · ${added} added · ${unchanged} unchanged`,
  },
  'sheets.logEntries': {
    zh: (n: number, seqs: string) => ` — ${n} 条变更记录（${seqs}）`,
    en: (n: number, seqs: string) => ` — ${n} change-log entr${n === 1 ? 'y' : 'ies'} (${seqs})`,
  },
  'sheets.ignored': { zh: (cols: string) => `已忽略的只读列：${cols}。`, en: (cols: string) => `Read-only columns ignored: ${cols}.` },
  'sheets.rowCol': { zh: '行', en: 'Row' },
  'sheets.record': { zh: '记录', en: 'Record' },
  'sheets.what': { zh: '变化', en: 'What' },
  'sheets.beforeAfter': { zh: '列：修改前 → 修改后', en: 'Column: before → after' },
  'sheets.empty': { zh: '（空）', en: '(empty)' },
  'sheets.show': { zh: '查看', en: 'Show' },
  'sheets.nothingChanged': { zh: '没有任何修改。', en: 'Nothing was changed.' },
  'sheets.matches': { zh: '无需修改：文件与图谱一致。', en: 'Nothing to change: the file matches the graph.' },
  'sheets.unchangedRows': { zh: (n: number) => `${n} 行未变`, en: (n: number) => `${n} unchanged rows` },
  'sheets.apply': {
    zh: (n: number) => `应用 ${n} 处修改`,
    en: (n: number) => `Apply ${n} change${n === 1 ? '' : 's'}`,
  },
  'sheets.applyHint': {
    zh: '一次事务完成；每条记录以你的名义写入变更日志。',
    en: 'One transaction; each record goes into the change log with your name.',
  },
  'sheets.ADDED': { zh: '新增', en: 'added' },
  'sheets.CHANGED': { zh: '修改', en: 'changed' },
  'sheets.UNCHANGED': { zh: '未变', en: 'unchanged' },
  // ---- readers' reports (flags) ----
  'flag.button': { zh: '报告错误', en: 'This is wrong' },
  'flag.open': { zh: (n: number) => `${n} 条待处理报告`, en: (n: number) => `${n} open report${n === 1 ? '' : 's'}` },
  'flag.openTitle': { zh: '等待编辑处理的报告', en: 'Reports waiting for an editor' },
  'flag.thanks': { zh: '已收到，编辑会尽快核实。', en: 'Thank you — an editor will look at it.' },
  'flag.what': { zh: '哪里有误？', en: 'What is wrong?' },
  'flag.whole': { zh: '整条记录', en: 'The record as a whole' },
  'flag.note': { zh: '说明', en: 'Note' },
  'flag.plain': { zh: (n: number, max: number) => `（${n}/${max}，纯文本）`, en: (n: number, max: number) => `(${n}/${max}, plain text)` },
  'flag.notePlaceholder': { zh: '例如：该工厂已于2022年迁至沧州。', en: 'e.g. The plant moved to Cangzhou in 2022.' },
  'flag.source': { zh: '依据链接', en: 'A source that says so' },
  'flag.optionalUrl': { zh: '（可选，http 或 https）', en: '(optional, http or https)' },
  'flag.sending': { zh: '提交中…', en: 'Sending…' },
  'flag.send': { zh: '提交', en: 'Send' },
  'flag.cancel': { zh: '取消', en: 'Cancel' },
  'field.name': { zh: '名称', en: 'Name' },
  'field.nameZh': { zh: '中文名', en: 'Chinese name' },
  'field.sites': { zh: '地点', en: 'Sites' },
  'field.segments': { zh: '环节', en: 'Segments' },
  'field.chainRole': { zh: '链上地位', en: 'Tier' },
  'field.sources': { zh: '来源', en: 'Sources' },
  'field.stage': { zh: '阶段', en: 'Stage' },
  'field.upstream': { zh: '上游', en: 'Fed by' },
  'field.downstream': { zh: '下游', en: 'Feeds' },
  'field.status': { zh: '状态', en: 'Status' },
  'field.severity': { zh: '严重程度', en: 'Severity' },
  'field.tacklers': { zh: '攻关方', en: 'Tackled by' },
  'field.constrains': { zh: '制约环节', en: 'Constrains' },
  // the other fields of the flaggable records, as the editors' list names a field a client flagged through the API
  'field.nameEn': { zh: '英文名', en: 'English name' },
  'field.aliases': { zh: '别名', en: 'Aliases' },
  'field.formerNames': { zh: '曾用名', en: 'Former names' },
  'field.renamedFrom': { zh: '原名', en: 'Renamed from' },
  'field.description': { zh: '简介', en: 'Description' },
  'field.mapPublished': { zh: '图谱发布日期', en: 'Map published' },
  'field.leadRegion': { zh: '牵头地区', en: 'Lead region' },
  'field.order': { zh: '顺序', en: 'Order' },
  'field.parent': { zh: '母公司', en: 'Parent firm' },
  'field.suppliers': { zh: '供应商', en: 'Suppliers' },
  'field.customers': { zh: '客户', en: 'Customers' },
  'field.tackles': { zh: '攻关的瓶颈', en: 'Bottlenecks it tackles' },
  'field.website': { zh: '网站', en: 'Website' },
  'field.kind': { zh: '类型', en: 'Kind' },
  'field.category': { zh: '类别', en: 'Category' },
  'field.since': { zh: '起始年份', en: 'Since' },
  'field.capacity': { zh: '产能', en: 'Capacity' },
  'field.enterprise': { zh: '所属企业', en: 'Enterprise' },
  'field.region': { zh: '所在地区', en: 'Region' },
  'field.park': { zh: '所在园区', en: 'Park' },
  'field.unit': { zh: '单位', en: 'Unit' },
  'field.scope': { zh: '范围', en: 'Scope' },
  'field.values': { zh: '数值', en: 'Values' },
  'field.title': { zh: '标题', en: 'Title' },
  'field.publisher': { zh: '发布者', en: 'Publisher' },
  'field.url': { zh: '链接', en: 'Address (URL)' },
  'field.date': { zh: '日期', en: 'Date' },
  'field.reliability': { zh: '可靠性', en: 'Reliability' },
  'field.language': { zh: '语言', en: 'Language' },
  'field.note': { zh: '备注', en: 'Note' },
  'field.confidence': { zh: '可信度', en: 'How it is known' },
  'field.evidence': { zh: '依据', en: 'Evidence' },
  'field.synthetic': { zh: '合成数据', en: 'Synthetic' },
  'field.statusHistory': { zh: '状态历史', en: 'Status history' },
  'field.sourcingNote': { zh: '来源说明', en: 'Sourcing note' },
  'field.chainMap': { zh: '产业链图谱', en: 'Chain map' },
  'field.enterprises': { zh: '企业', en: 'Enterprises' },
  'field.bottlenecks': { zh: '瓶颈', en: 'Bottlenecks' },
  'field.lists': { zh: '官方清单', en: 'Official lists' },
  'field.chainRoleIn': { zh: '各产业链中的地位', en: 'Tier in each chain' },
  'flags.title': { zh: '读者报告错误', en: "Readers' reports" },
  'flags.explain': {
    zh: '读者标记他们认为有误的记录。请修正记录（并指明修正它的变更），或说明理由驳回报告。仅限编辑：列表需要具有编辑角色的令牌，令牌保存在此浏览器标签页中，直到你选择退出。',
    en: "Readers flag records they find wrong. Fix the record (then name the change that fixed it) or reject the report with a reason. Editors only: the list needs a token with the editor role, kept in this browser tab until you forget it.",
  },
  'flags.token': { zh: '编辑令牌', en: "Editor's token" },
  'flags.tokenPlaceholder': { zh: '具有编辑角色的 API 密钥或 JWT', en: 'API key or JWT with the editor role' },
  'flags.useToken': { zh: '使用令牌', en: 'Use token' },
  'flags.status': { zh: '状态', en: 'Status' },
  'flags.OPEN': { zh: '待处理', en: 'Open' },
  'flags.RESOLVED': { zh: '已修正', en: 'Fixed' },
  'flags.REJECTED': { zh: '已驳回', en: 'Rejected' },
  'flags.ALL': { zh: '全部', en: 'All' },
  'flags.thisChain': { zh: '仅本产业链', en: 'This chain map only' },
  'flags.refresh': { zh: '刷新', en: 'Refresh' },
  'flags.forget': { zh: '退出（忘记令牌）', en: 'Forget token' },
  'flags.checkToken': { zh: ' — 请检查令牌，或退出后换一个。', en: ' — check the token, or forget it and enter another.' },
  'flags.total': { zh: (n: number) => `${n} 条报告`, en: (n: number) => `${n} report${n === 1 ? '' : 's'}` },
  'flags.more': { zh: '更多', en: 'More' },
  'flags.deleted': { zh: '（已删除）', en: ' (deleted)' },
  'flags.showInChain': { zh: '在产业链中显示', en: 'Show it in the chain' },
  'flags.sourceLabel': { zh: '来源：', en: 'Source: ' },
  'flags.by': {
    zh: (by: string, client: string, at: string, seq: string) => `${by}（${client}）· ${at} · 变更 #${seq}`,
    en: (by: string, client: string, at: string, seq: string) => `by ${by} (${client}) · ${at} · change #${seq}`,
  },
  'flags.fixedBy': {
    zh: (seq: string, who: string, at: string) => `由 ${who} 以变更 #${seq} 修正 · ${at}`,
    en: (seq: string, who: string, at: string) => `Fixed by change #${seq} by ${who} · ${at}`,
  },
  'flags.rejectedBy': {
    zh: (who: string, at: string) => `由 ${who} 驳回 · ${at}`,
    en: (who: string, at: string) => `Rejected by ${who} · ${at}`,
  },
  'flags.markEdited': { zh: '已修正', en: 'Fixed by an edit' },
  'flags.reject': { zh: '驳回', en: 'Reject' },
  'flags.whichChange': { zh: '修正所对应的变更', en: 'The change that fixed it' },
  'flags.by2': { zh: (who: string) => `作者 ${who}`, en: (who: string) => `by ${who}` },
  'flags.noEditSince': {
    zh: '报告之后此记录没有修改：请填变更号 #',
    en: 'no edit of this record since the report: its change #',
  },
  'flags.changeNo': { zh: '变更号 #', en: 'change #' },
  'flags.why': { zh: '驳回理由（记录为何成立）', en: 'Why the record stands' },
  'flags.noteOptional': { zh: '说明（可选）', en: 'Note (optional)' },
  'flags.markFixed': { zh: '标记已修正', en: 'Mark fixed' },
} satisfies Record<string, Entry>;

type Table = typeof TABLE;
/** A key of the table. */
export type Key = keyof Table;
type Args<K extends Key> = Table[K]['en'] extends (...a: infer A) => string ? A : [];

/** The table itself, for the check that every entry has both languages (e2e/i18n.test.mjs). */
export const STRINGS: Readonly<Record<Key, Entry>> = TABLE;

// ---- the language chosen ----------------------------------------------------------------------------------------

const STORAGE_KEY = 'chainmap.lang';
/** The cookie that tells the server's printable pages and sign-in page the language (i18n.Cookie in Go). */
export const COOKIE = 'chainmap_lang';

function setCookie(l: Lang) {
  try {
    document.cookie = `${COOKIE}=${l}; path=/; max-age=31536000; SameSite=Lax`;
  } catch {
    // cookies disabled: the links carry ?lang
  }
}
const isLang = (v: unknown): v is Lang => v === 'zh' || v === 'en';

function initialLang(): Lang {
  if (typeof location === 'undefined') return 'zh';
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('lang');
  if (isLang(fromHash)) return fromHash;
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLang(stored)) return stored;
  } catch {
    // storage disabled: Chinese
  }
  return 'zh';
}

let current: Lang = initialLang();
const listeners = new Set<() => void>();

/** The language shown. */
export const lang = () => current;

/** setLang switches the language, keeps the choice (localStorage; English also in the address) and redraws. */
export function setLang(l: Lang) {
  current = l;
  try {
    localStorage.setItem(STORAGE_KEY, l);
  } catch {
    // storage disabled: the address keeps it
  }
  const p = new URLSearchParams(location.hash.replace(/^#/, ''));
  if (l === 'en') p.set('lang', 'en');
  else p.delete('lang');
  const hash = p.toString();
  history.replaceState(null, '', hash ? `#${hash}` : location.pathname + location.search);
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
  setCookie(l);
  for (const f of listeners) f();
}

/** useLang re-renders the component when the language changes, and returns it. */
export function useLang(): Lang {
  return useSyncExternalStore(
    (f) => {
      listeners.add(f);
      return () => listeners.delete(f);
    },
    () => current,
  );
}

if (typeof document !== 'undefined') {
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
  setCookie(current);
}

// ---- saying things ------------------------------------------------------------------------------------------------

/**
 * errorText says an API error in the language shown: the entry of its reason (errorReason.*) or else of its code
 * (error.*), with the server's own text (English) as detail. A code or reason the table lacks says error.UNKNOWN.
 */
export function errorText(code: string | null | undefined, reason: string | null | undefined, detail: string): string {
  const key = (reason && `errorReason.${reason}` in TABLE ? `errorReason.${reason}` : code && `error.${code}` in TABLE ? `error.${code}` : 'error.UNKNOWN') as Key;
  const msg = say(key, []);
  return detail && detail !== msg ? say('errorWithDetail', [msg, detail]) : msg;
}

/** t says a table entry in the language shown, with the values the entry takes. */
export function t<K extends Key>(key: K, ...args: Args<K>): string {
  return say(key, args);
}

function say(key: Key, args: unknown[]): string {
  const e = TABLE[key][current] as string | Fn;
  return typeof e === 'function' ? e(...args) : e;
}

/** te says an enumeration's value (`${group}.${value}` in the table), or the value itself when it has no entry. */
export function te(group: string, value: string | null | undefined): string {
  if (!value) return '';
  const key = `${group}.${value}` as Key;
  return key in TABLE ? say(key, []) : value;
}

interface Names {
  name?: string | null;
  nameZh?: string | null;
}

/** nameOf is a record's name in the language shown: nameZh in Chinese, name in English, else the other one. */
export function nameOf(r: Names | null | undefined): string {
  if (!r) return '';
  return (current === 'zh' ? r.nameZh || r.name : r.name || r.nameZh) ?? '';
}

/** otherName is a record's name in the other language, when it has one that differs (a second line). */
export function otherName(r: Names | null | undefined): string | null {
  if (!r?.name || !r.nameZh || r.name === r.nameZh) return null;
  return current === 'zh' ? r.name : r.nameZh;
}
