import type { CatalogPair } from '../index.js';

// Texts of the shared use-case machinery (refusals, generic replies).
export const coreCatalog: CatalogPair = {
  en: {
    'core.error.title': 'Not done',
    'core.error.internal': 'Something went wrong on our side. Nothing was changed; please try again in a minute.',
    'core.error.bad_action': 'This button is no longer valid. Nothing was changed.',
    'core.error.bad_form': 'This form is no longer valid. Nothing was changed.',
    'core.error.bad_value': 'This value is not valid here: enter it again.',
    'core.error.not_found': '{id} does not exist.',
    'core.error.no_person': 'You have not used the bot yet, so you hold no role. Ask an admin to run `/mkt role @you <role>`.',
    'core.usage.title': 'Usage',
    'core.ok.title': 'Done',
    'core.page.prev': '◀ Previous',
    'core.page.next': 'Next ▶',
    'core.page.status': 'Showing {first}–{last} of {total} (page {page} of {pages})',
    'core.choice.ambiguous': '“{token}” matches {n}: {choices}. Type the code to choose one.',
    'core.choice.more': 'and {n} more',
    'core.choice.hint': 'Type a code or part of a name ({n} to choose from); the bot finds the match.',
  },
  'zh-CN': {
    'core.error.title': '未执行',
    'core.error.internal': '系统出错，未做任何更改，请稍后重试。',
    'core.error.bad_action': '此按钮已失效，未做任何更改。',
    'core.error.bad_form': '此表单已失效，未做任何更改。',
    'core.error.bad_value': '此项的值无效，请重新填写。',
    'core.error.not_found': '{id} 不存在。',
    'core.error.no_person': '你尚未使用过本机器人，暂无角色。请管理员执行 `/mkt role @你 <角色>`。',
    'core.usage.title': '用法',
    'core.ok.title': '已完成',
    'core.page.prev': '◀ 上一页',
    'core.page.next': '下一页 ▶',
    'core.page.status': '第 {first}–{last} 项，共 {total} 项（第 {page}/{pages} 页）',
    'core.choice.ambiguous': '“{token}”匹配到 {n} 项：{choices}。请输入代码选择其一。',
    'core.choice.more': '等另外 {n} 项',
    'core.choice.hint': '输入代码或名称的一部分（共 {n} 项可选），机器人会找到对应项。',
  },
};
