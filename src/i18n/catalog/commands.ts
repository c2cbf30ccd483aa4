import type { CatalogPair } from '../index.js';

// Texts of the command language (src/commands/): refusals (cmd.error.*), the syntax shown under a
// refusal (cmd.usage.*, no placeholders) and the help pages (help.*). zh-CN usage shows the Chinese
// form first and the English form in brackets; both forms always work.
export const commandsCatalog: CatalogPair = {
  en: {
    // ── refusals ──
    'cmd.error.unknown_command': 'I don’t know the command `{token}`.',
    'cmd.error.unknown_subcommand': '`{command}` has no subcommand `{token}`.',
    'cmd.error.extra': 'Unexpected `{token}`: the command has more words than it takes.',
    'cmd.error.control_char': 'The command contains an invisible control character ({token}). Please retype it.',
    'cmd.error.bad_month': '`{token}` is not a month. Write it as YYYY-MM, e.g. 2026-11.',
    'cmd.error.bad_date': '`{token}` is not a date. Write YYYY-MM-DD, `today` or `yesterday`.',
    'cmd.error.future_date': '`{token}` is in the future (today is {today}). Spend can only be recorded for today or earlier.',
    'cmd.error.bad_id': '`{token}` is not a valid id here; expected something like {prefix}-12.',
    'cmd.error.bad_user': '`{token}` is not a person. @mention them, or type their user id.',
    'cmd.error.unknown_mention': 'I can’t tell who `{token}` is. Please @mention the person again.',
    'cmd.error.bad_channel': '`{token}` is not a channel. Mention a channel (#name), give a Feishu chat id (oc_…), or write `here`.',
    'cmd.error.bad_role': '`{token}` is not a role. Roles: admin, leader, finance, marketer.',
    'cmd.error.bad_category': '`{token}` is not a risk category. Categories: market, tech, legal, other.',
    'cmd.error.bad_scale': '`{token}` must be a whole number from 1 to 5.',
    'cmd.error.bad_number': '`{token}` is not a topic number. Use the number shown by `/agenda`.',
    'cmd.error.bad_line_code': '`{token}` is not a budget line code (1–20 letters, digits, _ or -). `/budget lines` lists the codes.',
    'cmd.error.bad_filter': '`{token}` is not one of the filters this list offers.',
    'cmd.error.bad_purpose': '`{token}` is not a channel purpose. Purposes: approvals, team, leaders.',
    'cmd.error.bad_locale': '`{token}` is not a supported language. Use zh or en.',
    'cmd.error.bad_help_topic': 'There is no help on `{token}`. Topics: budget, campaign, risk, agenda, mkt.',
    'cmd.error.too_long': 'The text “{token}” is too long: {length} characters, at most {max}.',
    'cmd.error.same_line': 'The source and target line are the same (`{token}`).',
    'cmd.error.unknown_setting':
      '`{token}` is not a setting. Settings: leader_threshold, reminder_hours, timezone, schedule.weekly-agenda, schedule.monthly-budget, schedule.monthly-report, schedule.reminders.',
    'cmd.error.invalid': 'The command `{token}` could not be understood.',
    'cmd.error.missing.amount': 'The amount is missing.',
    'cmd.error.missing.line': 'The budget line code is missing.',
    'cmd.error.missing.from_line': 'The line to move budget from is missing.',
    'cmd.error.missing.to_line': 'The line to move budget to is missing.',
    'cmd.error.missing.reason': 'The reason is missing; every request needs one.',
    'cmd.error.missing.note': 'The note is missing.',
    'cmd.error.missing.code': 'The line code is missing.',
    'cmd.error.missing.name': 'The name is missing.',
    'cmd.error.missing.id': 'The id is missing.',
    'cmd.error.missing.category': 'The risk category is missing.',
    'cmd.error.missing.likelihood': 'The likelihood (1–5) is missing.',
    'cmd.error.missing.impact': 'The impact (1–5) is missing.',
    'cmd.error.missing.title': 'The title is missing.',
    'cmd.error.missing.topic': 'The topic is missing.',
    'cmd.error.missing.number': 'The topic number is missing.',
    'cmd.error.missing.user': 'The person is missing.',
    'cmd.error.missing.role': 'The role is missing.',
    'cmd.error.missing.channel': 'The channel is missing (a #channel, or `here`).',
    'cmd.error.missing.purpose': 'The channel purpose is missing (approvals, team or leaders).',
    'cmd.error.missing.key': 'The setting name is missing.',
    'cmd.error.missing.value': 'The value is missing.',
    'cmd.error.missing.locale': 'The language is missing (zh or en).',

    // ── syntax shown under a refusal ──
    'cmd.usage.overview':
      'Commands: `/budget`, `/campaign`, `/risk`, `/agenda`, `/mkt`. Chinese works too: `/预算`, `/活动`, `/风险`, `/议程`, `/营销`.\n`/mkt help` explains each one.',
    'cmd.usage.budget':
      '`/budget [YYYY-MM]` · `/budget chart [YYYY-MM]` · `/budget lines` · `/budget line add <code> [category] <annual amount> <name…>`\n`/budget request <amount> <line> [YYYY-MM] <reason…>` · `/budget transfer <amount> <from> <to> [YYYY-MM] <reason…>`\n`/budget spend <amount> <line> [YYYY-MM-DD] <note…>` · `/budget show <ADJ-id>` · `/budget cancel <ADJ-id>`',
    'cmd.usage.budget.status': '`/budget [YYYY-MM]`, e.g. `/budget` (this month) or `/budget 2026-11`',
    'cmd.usage.budget.lines': '`/budget lines`',
    'cmd.usage.budget.chart': '`/budget chart [YYYY-MM]`, e.g. `/budget chart` (this month) or `/budget chart 2026-11`',
    'cmd.usage.budget.line.add':
      '`/budget line add <code> [category] <annual amount> <name…>`\ne.g. `/budget line add SEM channel 120万 Search engine marketing`\nCode: 1–20 letters, digits, _ or -. Category: activity, channel, staff or other (default other). Once the year\'s plan is approved, the new line is an amendment that finance and a leader approve.',
    'cmd.usage.budget.request':
      '`/budget request <amount> <line> [YYYY-MM] <reason…>`\ne.g. `/budget request 5万 SEM 2026-11 Double 11 extra push`\nWithout arguments, `/budget request` opens a form.',
    'cmd.usage.budget.transfer':
      '`/budget transfer <amount> <from line> <to line> [YYYY-MM] <reason…>`\ne.g. `/budget transfer 2万 WEIBO DOUYIN Douyin converts better`\nWithout arguments, `/budget transfer` opens a form.',
    'cmd.usage.budget.spend':
      '`/budget spend <amount> <line> [YYYY-MM-DD|today|yesterday] <note…>`\ne.g. `/budget spend 3,200 SEM yesterday Baidu top-up`\nWithout arguments, `/budget spend` opens a form.',
    'cmd.usage.budget.show': '`/budget show <ADJ-id>`, e.g. `/budget show ADJ-12`',
    'cmd.usage.budget.cancel': '`/budget cancel <ADJ-id>`, e.g. `/budget cancel ADJ-12` (your own pending request)',
    'cmd.usage.campaign':
      '`/campaign new` · `/campaign list [pending|approved|running|ended|evaluated|active|all]` · `/campaign show <CMP-id>` · `/campaign close <CMP-id>`',
    'cmd.usage.campaign.new': '`/campaign new` (no arguments: it opens the proposal form)',
    'cmd.usage.campaign.list': '`/campaign list [pending|approved|running|ended|evaluated|active|all]` (default: active)',
    'cmd.usage.campaign.show': '`/campaign show <CMP-id>`, e.g. `/campaign show CMP-7`',
    'cmd.usage.campaign.close': '`/campaign close <CMP-id>`, e.g. `/campaign close CMP-7` (opens the results form)',
    'cmd.usage.risk':
      '`/risk report` · `/risk report <market|tech|legal|other> <likelihood 1-5> <impact 1-5> <title…>` · `/risk list [high|medium|low|open|all]` · `/risk close <RSK-id> <note…>`',
    'cmd.usage.risk.report':
      '`/risk report <market|tech|legal|other> <likelihood 1-5> <impact 1-5> <title…>`\ne.g. `/risk report legal 3 5 Lottery rules not reviewed by legal`\nWithout arguments, `/risk report` opens a form.',
    'cmd.usage.risk.list': '`/risk list [high|medium|low|open|all]` (default: open)',
    'cmd.usage.risk.close': '`/risk close <RSK-id> <note…>`, e.g. `/risk close RSK-3 Legal signed off`',
    'cmd.usage.agenda': '`/agenda` · `/agenda add <topic…>` · `/agenda remove <n>` · `/agenda post`',
    'cmd.usage.agenda.show': '`/agenda`',
    'cmd.usage.agenda.add': '`/agenda add <topic…>`, e.g. `/agenda add Review Q4 KOL list` (at most 200 characters)',
    'cmd.usage.agenda.remove': '`/agenda remove <n>`, n = the topic number shown by `/agenda`',
    'cmd.usage.agenda.post': '`/agenda post` (posts the agenda to the team channel now)',
    'cmd.usage.mkt':
      '`/mkt help [topic]` · `/mkt roles` · `/mkt role <@user> <role>` · `/mkt role <@user> -<role>`\n`/mkt channel <approvals|team|leaders> <#channel|here>` · `/mkt set <key> <value>` · `/mkt lang <zh|en>`\n`/mkt delegate @person [until YYYY-MM-DD] [finance|leader]` · `/mkt delegate off` · `/mkt delegates`',
    'cmd.usage.mkt.help': '`/mkt help [budget|campaign|risk|agenda|mkt|audit]`',
    'cmd.usage.mkt.role':
      '`/mkt role <@user> <admin|leader|finance|marketer>` grants, `/mkt role <@user> -<role>` or `/mkt role <@user> remove <role>` revokes\ne.g. `/mkt role @Li finance`',
    'cmd.usage.mkt.roles': '`/mkt roles`',
    'cmd.usage.mkt.channel': '`/mkt channel <approvals|team|leaders> <#channel|here>`, e.g. `/mkt channel approvals here`',
    'cmd.usage.mkt.set':
      '`/mkt set <key> <value>`, keys: leader_threshold, reminder_hours, timezone, schedule.weekly-agenda, schedule.monthly-budget, schedule.monthly-report, schedule.reminders, escalate_hours, escalate_hours.finance, escalate_hours.leader, work_hours\ne.g. `/mkt set leader_threshold 5万`, `/mkt set work_hours 09:00-18:00 Mon-Fri`',
    'cmd.usage.mkt.lang': '`/mkt lang <zh|en>`',

    // ── help pages ──
    'help.overview':
      '**Marketing-ops bot**: budgets, approvals, campaigns, risks and the weekly agenda, in chat.\n' +
      '• `/budget`: this month’s budget per line; requests, transfers and spend\n' +
      '• `/campaign`: campaign proposals, approval, closing and evaluation\n' +
      '• `/risk`: report and track market, tech and legal risks\n' +
      '• `/agenda`: topics for the weekly sync meeting\n' +
      '• `/mkt`: help, roles, channels and settings (admins); `/mkt delegate`: a stand-in while you are away\n' +
      '• `/audit ADJ-12`: the whole history of a request, campaign, risk or plan\n' +
      'Every command also has a Chinese name (`/预算`, `/活动`, `/风险`, `/议程`, `/营销`), and the slash may be left out. ' +
      'In Feishu, send the command to the bot directly or @mention it in a group. `/mkt help budget` shows the details of one command.',
    'help.budget':
      '**/budget**: budget lines, monthly budgets, adjustments and spend. Amounts: `50000`, `50,000`, `¥50,000.50`, `5万`, `1.5万`, `5w`, `50k`.\n' +
      '• `/budget` or `/budget 2026-11`: plan, spent, committed, available and % used per line for the month\n' +
      '• `/budget chart [YYYY-MM]`: the same figures with a bar chart of each line’s use against plan (80 % and 100 % marked)\n' +
      '• `/budget lines`: the lines and their codes\n' +
      '• `/budget line add <code> [category] <annual amount> <name…>` (admin, finance): a new line for this fiscal year, split evenly over 12 months; once the year\'s plan is approved it is an amendment (AMD-3) approved by finance, then a leader. e.g. `/budget line add SEM channel 120万 Search engine marketing`\n' +
      '• `/budget request <amount> <line> [YYYY-MM] <reason…>`: ask to raise a line’s monthly budget (finance reviews; amounts ≥ the leader threshold also need a leader). e.g. `/budget request 5万 SEM 2026-11 Double 11 extra push`\n' +
      '• `/budget transfer <amount> <from> <to> [YYYY-MM] <reason…>`: ask to move budget between lines. e.g. `/budget transfer 2万 WEIBO DOUYIN Douyin converts better`\n' +
      '• `/budget spend <amount> <line> [YYYY-MM-DD|today|yesterday] <note…>` (finance, marketer): record actual spend. e.g. `/budget spend 3200 SEM yesterday Baidu top-up`\n' +
      '• `/budget show ADJ-12`, `/budget cancel ADJ-12`: look at a request, or withdraw your own while it is pending\n' +
      '`request`, `transfer` and `spend` without arguments open a form. The month defaults to the current one.\n' +
      '**The yearly cycle**: `/budget plan new 2027 [from 2026]` opens a draft; `/budget plan template` sends the spreadsheet; `/budget plan import 2027` with pasted rows or a file fills it; `/budget plan submit 2027` sends it to finance, then a leader; once approved the year\u2019s lines and monthly budgets exist and the plan is locked. `/budget plan 2027` shows the card, `/budget export 2027` sends the workbook (plan, actual, variance, commitments, adjustments). During the year, changes go through `/budget request` and `/budget transfer`, and a new line (`/budget line add`) is an amendment that finance and a leader approve. Plans and amendments waiting for a decision are reminded every day.',
    'help.campaign':
      '**/campaign**: campaign proposals from plan to evaluation.\n' +
      '• `/campaign new`: opens the proposal form (goal, theme, format, channels, dates, budget line, amount, KPI targets); leaders approve it, which commits its budget\n' +
      '• `/campaign` or `/campaign list [pending|approved|running|ended|evaluated|active|all]`: campaigns, by default the active ones\n' +
      '• `/campaign show CMP-7`: one campaign with its budget and KPIs\n' +
      '• `/campaign close CMP-7` (owner, leader): opens the form for actual results, actual cost and lessons learned; the reply compares targets with actuals',
    'help.risk':
      '**/risk**: the risk register. Score = likelihood (1–5) × impact (1–5); high ≥ 15, medium 8–14, low ≤ 7. High risks go to the leaders at once, medium ones to the team.\n' +
      '• `/risk report`: opens the risk form\n' +
      '• `/risk report <market|tech|legal|other> <likelihood> <impact> <title…>`: file one in a line. e.g. `/risk report legal 3 5 Lottery rules not reviewed by legal`\n' +
      '• `/risk` or `/risk list [high|medium|low|open|all]`: the register, by default the open risks\n' +
      '• `/risk close RSK-3 <note…>` (owner, leader): close a risk with a note',
    'help.agenda':
      '**/agenda**: the weekly sync meeting. The agenda is posted to the team channel on schedule, with pending approvals, budget usage, campaigns and open risks, plus the topics added here.\n' +
      '• `/agenda`: the next agenda\n' +
      '• `/agenda add <topic…>`: add a topic, e.g. `/agenda add Review Q4 KOL list`\n' +
      '• `/agenda remove <n>`: remove topic number n\n' +
      '• `/agenda post` (admin): post the agenda now',
    'help.mkt':
      '**/mkt**: help and administration.\n' +
      '• `/mkt help [budget|campaign|risk|agenda|mkt]`: these help pages\n' +
      '• `/mkt roles`: who holds which role\n' +
      '• `/mkt role @user <admin|leader|finance|marketer>` (admin): grant a role; `/mkt role @user -finance` or `/mkt role @user remove finance` revokes it\n' +
      '• `/mkt channel <approvals|team|leaders> <#channel|here>` (admin): where approval cards, team posts and leader escalations go; `here` = this chat\n' +
      '• `/mkt set <key> <value>` (admin): leader_threshold (e.g. `5万`), reminder_hours (e.g. `24`), timezone (e.g. `Asia/Shanghai`), schedule.weekly-agenda / schedule.monthly-budget / schedule.monthly-report / schedule.reminders (cron, e.g. `0 10 * * 1`)\n' +
      '• `/mkt lang <zh|en>` (admin): the bot’s language\n' +
      '• `/mkt delegate @person [until YYYY-MM-DD] [finance|leader]`, `/mkt delegate off`, `/mkt delegates`: a stand-in for your approvals while you are away (see `/mkt help audit`)\n' +
      '• `/mkt set escalate_hours 48` (or `escalate_hours.finance` / `escalate_hours.leader`, `off`), `/mkt set work_hours 09:00-18:00 Mon-Fri` (or `off`) (admin): when a waiting decision is escalated',
  },
  'zh-CN': {
    // ── 拒绝 ──
    'cmd.error.unknown_command': '无法识别的命令 `{token}`。',
    'cmd.error.unknown_subcommand': '`{command}` 没有子命令 `{token}`。',
    'cmd.error.extra': '多余的内容 `{token}`：该命令不需要这么多参数。',
    'cmd.error.control_char': '命令中含有不可见的控制字符（{token}），请重新输入。',
    'cmd.error.bad_month': '`{token}` 不是有效的月份，请写成 YYYY-MM，例如 2026-11。',
    'cmd.error.bad_date': '`{token}` 不是有效的日期，请写成 YYYY-MM-DD、“今天”或“昨天”。',
    'cmd.error.future_date': '`{token}` 是将来的日期（今天是 {today}），只能记录今天或之前的支出。',
    'cmd.error.bad_id': '`{token}` 不是有效的编号，应为 {prefix}-12 这样的格式。',
    'cmd.error.bad_user': '`{token}` 不是成员，请 @ 该成员，或填写其用户 ID。',
    'cmd.error.unknown_mention': '无法确定 `{token}` 指的是谁，请重新 @ 该成员。',
    'cmd.error.bad_channel': '`{token}` 不是群聊或频道，请提及频道（#名称）、填写飞书群 ID（oc_…），或写“本群”。',
    'cmd.error.bad_role': '`{token}` 不是有效角色，可选：管理员、领导、财务、营销人员（admin、leader、finance、marketer）。',
    'cmd.error.bad_category': '`{token}` 不是风险类别，可选：市场、技术、法律、其他（market、tech、legal、other）。',
    'cmd.error.bad_scale': '`{token}` 必须是 1 到 5 的整数。',
    'cmd.error.bad_number': '`{token}` 不是有效的议题序号，请使用 `/议程` 显示的序号。',
    'cmd.error.bad_line_code': '`{token}` 不是预算科目代码（1–20 位字母、数字、_ 或 -），`/预算 科目` 可查看所有代码。',
    'cmd.error.bad_filter': '`{token}` 不是此列表支持的筛选条件。',
    'cmd.error.bad_purpose': '`{token}` 不是有效的群用途，可选：审批、团队、领导（approvals、team、leaders）。',
    'cmd.error.bad_locale': '`{token}` 不是支持的语言，请填写 zh（中文）或 en（英文）。',
    'cmd.error.bad_help_topic': '没有关于 `{token}` 的帮助，可选：预算、活动、风险、议程、营销。',
    'cmd.error.too_long': '文字“{token}”过长：{length} 个字符，最多 {max} 个。',
    'cmd.error.same_line': '调出科目与调入科目相同（`{token}`）。',
    'cmd.error.unknown_setting':
      '`{token}` 不是可设置的项目，可选：leader_threshold、reminder_hours、timezone、schedule.weekly-agenda、schedule.monthly-budget、schedule.monthly-report、schedule.reminders。',
    'cmd.error.invalid': '无法理解命令 `{token}`。',
    'cmd.error.missing.amount': '缺少金额。',
    'cmd.error.missing.line': '缺少预算科目代码。',
    'cmd.error.missing.from_line': '缺少调出科目。',
    'cmd.error.missing.to_line': '缺少调入科目。',
    'cmd.error.missing.reason': '缺少理由，每个申请都需要填写理由。',
    'cmd.error.missing.note': '缺少说明。',
    'cmd.error.missing.code': '缺少科目代码。',
    'cmd.error.missing.name': '缺少名称。',
    'cmd.error.missing.id': '缺少编号。',
    'cmd.error.missing.category': '缺少风险类别。',
    'cmd.error.missing.likelihood': '缺少可能性（1–5）。',
    'cmd.error.missing.impact': '缺少影响程度（1–5）。',
    'cmd.error.missing.title': '缺少标题。',
    'cmd.error.missing.topic': '缺少议题内容。',
    'cmd.error.missing.number': '缺少议题序号。',
    'cmd.error.missing.user': '缺少成员。',
    'cmd.error.missing.role': '缺少角色。',
    'cmd.error.missing.channel': '缺少群聊或频道（#频道，或“本群”）。',
    'cmd.error.missing.purpose': '缺少群用途（审批、团队或领导）。',
    'cmd.error.missing.key': '缺少设置项名称。',
    'cmd.error.missing.value': '缺少设置值。',
    'cmd.error.missing.locale': '缺少语言（zh 或 en）。',

    // ── 用法 ──
    'cmd.usage.overview':
      '命令：`/预算`、`/活动`、`/风险`、`/议程`、`/营销`（英文：`/budget`、`/campaign`、`/risk`、`/agenda`、`/mkt`）。\n`/营销 帮助` 查看每个命令的说明。',
    'cmd.usage.budget':
      '`/预算 [YYYY-MM]` · `/预算 图表 [YYYY-MM]` · `/预算 科目` · `/预算 新增科目 <代码> [类别] <年度金额> <名称…>`\n`/预算 申请 <金额> <科目> [YYYY-MM] <理由…>` · `/预算 调拨 <金额> <调出科目> <调入科目> [YYYY-MM] <理由…>`\n`/预算 支出 <金额> <科目> [YYYY-MM-DD] <说明…>` · `/预算 查看 <ADJ-编号>` · `/预算 撤回 <ADJ-编号>`\n（英文：`/budget`、`chart`、`lines`、`line add`、`request`、`transfer`、`spend`、`show`、`cancel`）',
    'cmd.usage.budget.status': '`/预算 [YYYY-MM]`，例：`/预算`（本月）或 `/预算 2026-11`（英文：`/budget [YYYY-MM]`）',
    'cmd.usage.budget.lines': '`/预算 科目`（英文：`/budget lines`）',
    'cmd.usage.budget.chart': '`/预算 图表 [YYYY-MM]`，例：`/预算 图表`（本月）或 `/预算 图表 2026-11`（英文：`/budget chart [YYYY-MM]`）',
    'cmd.usage.budget.line.add':
      '`/预算 新增科目 <代码> [类别] <年度金额> <名称…>`（或 `/预算 科目 新增 …`；英文：`/budget line add <code> [category] <annual amount> <name…>`）\n例：`/预算 新增科目 SEM 渠道运营 120万 搜索引擎营销`\n代码：1–20 位字母、数字、_ 或 -。类别：活动费用、渠道运营、人员费用或其他（默认其他）。年度计划批准后，新增科目作为计划变更，由财务和领导审批。',
    'cmd.usage.budget.request':
      '`/预算 申请 <金额> <科目> [YYYY-MM] <理由…>`（英文：`/budget request <amount> <line> [YYYY-MM] <reason…>`）\n例：`/预算 申请 5万 SEM 2026-11 双十一加投`\n不带参数的 `/预算 申请` 会打开表单。',
    'cmd.usage.budget.transfer':
      '`/预算 调拨 <金额> <调出科目> <调入科目> [YYYY-MM] <理由…>`（英文：`/budget transfer <amount> <from> <to> [YYYY-MM] <reason…>`）\n例：`/预算 调拨 2万 WEIBO DOUYIN 抖音转化更好`\n不带参数的 `/预算 调拨` 会打开表单。',
    'cmd.usage.budget.spend':
      '`/预算 支出 <金额> <科目> [YYYY-MM-DD|今天|昨天] <说明…>`（英文：`/budget spend <amount> <line> [YYYY-MM-DD|today|yesterday] <note…>`）\n例：`/预算 支出 3,200 SEM 昨天 百度充值`\n不带参数的 `/预算 支出` 会打开表单。',
    'cmd.usage.budget.show': '`/预算 查看 <ADJ-编号>`，例：`/预算 查看 ADJ-12`（英文：`/budget show ADJ-12`）',
    'cmd.usage.budget.cancel': '`/预算 撤回 <ADJ-编号>`，例：`/预算 撤回 ADJ-12`（撤回自己待审批的申请；英文：`/budget cancel ADJ-12`）',
    'cmd.usage.campaign':
      '`/活动 新建` · `/活动 列表 [待审批|已批准|进行中|已结束|已评估|活跃|全部]` · `/活动 查看 <CMP-编号>` · `/活动 结案 <CMP-编号>`\n（英文：`/campaign new`、`list`、`show`、`close`）',
    'cmd.usage.campaign.new': '`/活动 新建`（不带参数，打开活动提案表单；英文：`/campaign new`）',
    'cmd.usage.campaign.list':
      '`/活动 列表 [待审批|已批准|进行中|已结束|已评估|活跃|全部]`，默认为活跃（英文：`/campaign list [pending|approved|running|ended|evaluated|active|all]`）',
    'cmd.usage.campaign.show': '`/活动 查看 <CMP-编号>`，例：`/活动 查看 CMP-7`（英文：`/campaign show CMP-7`）',
    'cmd.usage.campaign.close': '`/活动 结案 <CMP-编号>`，例：`/活动 结案 CMP-7`（打开结果填写表单；英文：`/campaign close CMP-7`）',
    'cmd.usage.risk':
      '`/风险 上报` · `/风险 上报 <市场|技术|法律|其他> <可能性 1-5> <影响 1-5> <标题…>` · `/风险 列表 [高|中|低|未关闭|全部]` · `/风险 关闭 <RSK-编号> <说明…>`\n（英文：`/risk report`、`list`、`close`）',
    'cmd.usage.risk.report':
      '`/风险 上报 <市场|技术|法律|其他> <可能性 1-5> <影响 1-5> <标题…>`（英文：`/risk report <market|tech|legal|other> <likelihood> <impact> <title…>`）\n例：`/风险 上报 法律 3 5 抽奖规则未经法务审核`\n不带参数的 `/风险 上报` 会打开表单。',
    'cmd.usage.risk.list': '`/风险 列表 [高|中|低|未关闭|全部]`，默认为未关闭（英文：`/risk list [high|medium|low|open|all]`）',
    'cmd.usage.risk.close': '`/风险 关闭 <RSK-编号> <说明…>`，例：`/风险 关闭 RSK-3 法务已确认`（英文：`/risk close RSK-3 <note…>`）',
    'cmd.usage.agenda': '`/议程` · `/议程 添加 <议题…>` · `/议程 删除 <序号>` · `/议程 发布`（英文：`/agenda`、`add`、`remove`、`post`）',
    'cmd.usage.agenda.show': '`/议程`（英文：`/agenda`）',
    'cmd.usage.agenda.add': '`/议程 添加 <议题…>`，例：`/议程 添加 评审第四季度 KOL 名单`（最多 200 字；英文：`/agenda add <topic…>`）',
    'cmd.usage.agenda.remove': '`/议程 删除 <序号>`，序号见 `/议程`（英文：`/agenda remove <n>`）',
    'cmd.usage.agenda.post': '`/议程 发布`（立即把议程发到团队群；英文：`/agenda post`）',
    'cmd.usage.mkt':
      '`/营销 帮助 [主题]` · `/营销 角色列表` · `/营销 角色 <@成员> <角色>` · `/营销 角色 <@成员> -<角色>`\n`/营销 群 <审批|团队|领导> <#频道|本群>` · `/营销 设置 <项目> <值>` · `/营销 语言 <zh|en>`\n`/营销 委托 @成员 [至 YYYY-MM-DD] [财务|领导]` · `/营销 委托 取消` · `/营销 委托列表`\n（英文：`/mkt help`、`roles`、`role`、`channel`、`set`、`lang`、`delegate`、`delegates`）',
    'cmd.usage.mkt.help': '`/营销 帮助 [预算|活动|风险|议程|营销|审计]`（英文：`/mkt help [budget|campaign|risk|agenda|mkt|audit]`）',
    'cmd.usage.mkt.role':
      '`/营销 角色 <@成员> <管理员|领导|财务|营销人员>` 授予角色；`/营销 角色 <@成员> -<角色>` 或 `/营销 角色 <@成员> 移除 <角色>` 撤销角色\n例：`/营销 角色 @李雷 财务`（英文：`/mkt role @user <admin|leader|finance|marketer>`）',
    'cmd.usage.mkt.roles': '`/营销 角色列表`（英文：`/mkt roles`）',
    'cmd.usage.mkt.channel': '`/营销 群 <审批|团队|领导> <#频道|本群>`，例：`/营销 群 审批 本群`（英文：`/mkt channel <approvals|team|leaders> <#channel|here>`）',
    'cmd.usage.mkt.set':
      '`/营销 设置 <项目> <值>`，项目：leader_threshold、reminder_hours、timezone、schedule.weekly-agenda、schedule.monthly-budget、schedule.monthly-report、schedule.reminders、escalate_hours、escalate_hours.finance、escalate_hours.leader、work_hours\n例：`/营销 设置 leader_threshold 5万`、`/营销 设置 work_hours 09:00-18:00 周一-周五`（英文：`/mkt set <key> <value>`）',
    'cmd.usage.mkt.lang': '`/营销 语言 <zh|en>`（英文：`/mkt lang <zh|en>`）',

    // ── 帮助 ──
    'help.overview':
      '**营销管理机器人**：在聊天中管理预算、审批、活动、风险和每周例会议程。\n' +
      '• `/预算`：本月各科目预算；预算申请、调拨和支出记账\n' +
      '• `/活动`：活动提案、审批、结案与评估\n' +
      '• `/风险`：上报和跟踪市场、技术、法律风险\n' +
      '• `/议程`：每周例会的议题\n' +
      '• `/营销`：帮助、角色、群设置和系统设置（管理员）\n' +
      '每个命令也有英文名（`/budget`、`/campaign`、`/risk`、`/agenda`、`/mkt`），斜杠可以省略。' +
      '在飞书中，可以私聊机器人，或在群里 @机器人 后发送命令。`/营销 帮助 预算` 查看单个命令的详细说明。',
    'help.budget':
      '**/预算**（/budget）：预算科目、月度预算、预算调整和支出。金额可写作 `50000`、`50,000`、`¥50,000.50`、`5万`、`1.5万`、`5w`、`50k`。\n' +
      '• `/预算` 或 `/预算 2026-11`：当月各科目的预算、已支出、已占用、可用和使用率\n' +
      '• `/预算 图表 [YYYY-MM]`：同样的数字，附各科目预算使用条形图（标出 80% 与 100%）\n' +
      '• `/预算 科目`：所有科目及其代码\n' +
      '• `/预算 新增科目 <代码> [类别] <年度金额> <名称…>`（管理员、财务）：为本财年新增科目，年度金额平均分到 12 个月；年度计划批准后作为计划变更（AMD-3），先由财务审核，再由领导审批。例：`/预算 新增科目 SEM 渠道运营 120万 搜索引擎营销`\n' +
      '• `/预算 申请 <金额> <科目> [YYYY-MM] <理由…>`：申请增加某科目的月度预算（财务审核；达到领导审批阈值的还需领导审批）。例：`/预算 申请 5万 SEM 2026-11 双十一加投`\n' +
      '• `/预算 调拨 <金额> <调出科目> <调入科目> [YYYY-MM] <理由…>`：申请在科目之间调拨预算（也可写“转移”）。例：`/预算 调拨 2万 WEIBO DOUYIN 抖音转化更好`\n' +
      '• `/预算 支出 <金额> <科目> [YYYY-MM-DD|今天|昨天] <说明…>`（财务、营销人员）：记录实际支出（也可写“记账”）。例：`/预算 支出 3200 SEM 昨天 百度充值`\n' +
      '• `/预算 查看 ADJ-12`、`/预算 撤回 ADJ-12`：查看申请，或撤回自己待审批的申请（也可写“取消”）\n' +
      '不带参数的“申请”“调拨”“支出”会打开表单。月份默认为本月。\n' +
      '**年度流程**：`/预算 计划 新建 2027 [复制 2026]` 新建草稿；`/预算 计划 模板` 获取表格模板；`/预算 计划 导入 2027` 加粘贴数据或文件填入科目；`/预算 计划 提交 2027` 提交财务审核、再由领导审批；批准后生成该年度科目和月度预算并锁定。`/预算 计划 2027` 查看计划卡片，`/预算 导出 2027` 获取工作簿（预算、实际、差异、占用、调整）。年度内的变更走 `/预算 申请` 和 `/预算 调拨`；新增科目（`/预算 新增科目`）作为计划变更，由财务和领导审批。等待审批的计划和变更每天提醒一次。',
    'help.campaign':
      '**/活动**（/campaign）：从策划到评估的活动管理。\n' +
      '• `/活动 新建`（或“提案”）：打开活动提案表单（目标、主题、形式、渠道、起止日期、预算科目、金额、KPI 目标）；领导审批通过后占用预算\n' +
      '• `/活动` 或 `/活动 列表 [待审批|已批准|进行中|已结束|已评估|活跃|全部]`：活动列表，默认为活跃的活动\n' +
      '• `/活动 查看 CMP-7`：单个活动的预算与 KPI\n' +
      '• `/活动 结案 CMP-7`（负责人、领导；也可写“关闭”）：填写实际效果、实际花费和经验总结，回复中对比目标与实际',
    'help.risk':
      '**/风险**（/risk）：风险登记册。风险分 = 可能性（1–5）× 影响（1–5）；高 ≥ 15，中 8–14，低 ≤ 7。高风险立即通知领导群，中风险通知团队群。\n' +
      '• `/风险 上报`（或“报告”）：打开风险表单\n' +
      '• `/风险 上报 <市场|技术|法律|其他> <可能性> <影响> <标题…>`：一行上报。例：`/风险 上报 法律 3 5 抽奖规则未经法务审核`\n' +
      '• `/风险` 或 `/风险 列表 [高|中|低|未关闭|全部]`：风险列表，默认为未关闭的风险\n' +
      '• `/风险 关闭 RSK-3 <说明…>`（负责人、领导）：填写说明并关闭风险',
    'help.agenda':
      '**/议程**（/agenda）：每周例会。议程按计划发到团队群，包含待审批事项、预算使用、活动和未关闭风险，以及在这里添加的议题。\n' +
      '• `/议程`：下一次例会的议程\n' +
      '• `/议程 添加 <议题…>`：添加议题，例：`/议程 添加 评审第四季度 KOL 名单`\n' +
      '• `/议程 删除 <序号>`（或“移除”）：删除第 n 个议题\n' +
      '• `/议程 发布`（管理员）：立即发布议程',
    'help.mkt':
      '**/营销**（/mkt）：帮助与管理。\n' +
      '• `/营销 帮助 [预算|活动|风险|议程|营销]`：这些帮助说明\n' +
      '• `/营销 角色列表`：谁担任哪些角色\n' +
      '• `/营销 角色 @成员 <管理员|领导|财务|营销人员>`（管理员）：授予角色；`/营销 角色 @成员 -财务` 或 `/营销 角色 @成员 移除 财务` 撤销角色\n' +
      '• `/营销 群 <审批|团队|领导> <#频道|本群>`（管理员，也可写“频道”）：审批卡片、团队通知和领导升级分别发到哪里；“本群”（或“这里”）= 当前群\n' +
      '• `/营销 设置 <项目> <值>`（管理员）：leader_threshold（领导审批阈值，如 `5万`）、reminder_hours（提醒间隔小时数，如 `24`）、timezone（时区，如 `Asia/Shanghai`）、schedule.weekly-agenda / schedule.monthly-budget / schedule.monthly-report / schedule.reminders（cron 表达式，如 `0 10 * * 1`）\n' +
      '• `/营销 语言 <zh|en>`（管理员）：机器人使用的语言（也可写“中文”“英文”）\n' +
      '• `/营销 委托 @成员 [至 YYYY-MM-DD] [财务|领导]`、`/营销 委托 取消`、`/营销 委托列表`：外出时指定审批代理人（详见 `/营销 帮助 审计`）\n' +
      '• `/营销 设置 escalate_hours 48`（或 `escalate_hours.finance` / `escalate_hours.leader`、`off`）、`/营销 设置 work_hours 09:00-18:00 周一-周五`（或 `off`）（管理员）：待审批事项何时升级',
  },
};
