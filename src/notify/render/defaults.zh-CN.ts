// The default zh-CN templates and the fixed words a Chinese message uses. The templates are plain
// LiquidJS, the same a user may copy from docs/templates.md and change; every value inserted into
// Markdown goes through `escape_md`. Whitespace: `{%-` removes the line break before a tag, so a
// line inside a false `if` leaves no blank line behind.
import type { LanguagePack } from './language-pack.js';

const title = `{% if status == "firing" %}{% assign state = "告警" %}{% else %}{% assign state = "已恢复" %}{% endif -%}
[{% if severity %}{{ severity }} {% endif %}{{ state }}] {{ summary | default: "告警" }}
{%- if where != "" %} · {{ where }}{% endif %}
{%- if alertCount > 1 %}（共 {{ alertCount | number }} 条）{% endif %}`;

const markdown = `{% if status == "firing" %}{% assign state = "告警" %}{% else %}{% assign state = "已恢复" %}{% endif -%}
### [{% if severity %}{{ severity }} {% endif %}{{ state }}] {{ summary | default: "告警" | escape_md }}
{%- if where != "" %} · {{ where | escape_md }}{% endif %}
{%- if severity %}
- **级别**: {{ severity | severity_name }}
{%- endif %}
- **问题**: {{ summary | default: "（无摘要）" | escape_md }}{% if alertCount == 1 and flappingCount > 0 %}（抖动）{% endif %}
{%- if description != "" %}
- **说明**: {{ description | escape_md }}
{%- endif %}
{%- if service != "" %}
- **服务**: {{ service | escape_md }}
{%- endif %}
{%- if platform != "" %}
- **平台**: {{ platform | escape_md }}
{%- endif %}
{%- if store != "" %}
- **店铺**: {{ store | escape_md }}
{%- endif %}
{%- if value != "" %}
- **当前值**: {{ value | escape_md }}{% if threshold != "" %}（阈值 {{ threshold | escape_md }}）{% endif %}
{%- elsif threshold != "" %}
- **阈值**: {{ threshold | escape_md }}
{%- endif %}
{%- if status == "firing" %}
- **开始**: {{ startsAtMs | datetime }}，已持续 {{ duration }}
{%- else %}
- **持续**: {{ duration }}（{{ startsAtMs | datetime }} → {{ endsAtMs | datetime }}）
{%- endif %}
{%- if alertCount > 1 %}
- **告警数**: {{ alertCount | number }}（告警中 {{ firingCount | number }}，已恢复 {{ resolvedCount | number }}{% if flappingCount > 0 %}，抖动 {{ flappingCount | number }}{% endif %}）
{%- endif %}
{%- if runbookUrl != "" %}
- **处理手册**: [打开处理手册]({{ runbookUrl }})
{%- elsif runbook != "" %}
- **处理手册**: {{ runbook | escape_md }}
{%- endif %}
{%- for c in context %}
- **{% case c.kind %}{% when "trace" %}链路{% when "log" %}日志{% else %}事件{% endcase %}**: {{ c.text | escape_md }}{% if c.url %}（[查看]({{ c.url }})）{% endif %}
{%- endfor %}
{%- if storm %}

#### 告警风暴：共 {{ storm.total | number }} 条（告警中 {{ storm.firing | number }}，已恢复 {{ storm.resolved | number }}）
{%- for l in storm.byLabel %}
- **{{ l.name | escape_md }}**（{{ l.distinct | number }} 个值）: {% for t in l.top %}{{ t.value | escape_md }} ×{{ t.count | number }}{% unless forloop.last %} · {% endunless %}{% endfor %}{% if l.others > 0 %} · 其他 {{ l.others | number }}{% endif %}
{%- endfor %}

**前 {{ alerts.size | number }} 条**
{%- elsif alertCount > 1 %}

#### 告警列表
{%- endif %}
{%- if alertCount > 1 %}
{%- for a in alerts %}
- {% if a.status == "firing" %}🔴{% else %}🟢{% endif %} {% if a.severity %}**{{ a.severity }}** {% endif %}{{ a.summary | escape_md }}
{%- for l in a.distinctLabels limit: 6 %}{% unless l[0] == "alertname" or l[0] == "severity" %} · {{ l[0] | escape_md }}={{ l[1] | escape_md }}{% endunless %}{% endfor %}
{%- if a.annotations.value and a.annotations.value != commonAnnotations.value %} · 当前值 {{ a.annotations.value | escape_md }}{% endif %}
{%- if a.status == "firing" %} · {{ a.startsAtMs | datetime: "time" }} 起 {{ a.duration }}{% else %} · 已恢复，持续 {{ a.duration }}{% endif %}
{%- if a.flapping %}（抖动）{% endif %}
{%- endfor %}
{%- if storm and storm.omitted > 0 %}
- … 另有 {{ storm.omitted | number }} 条未列出
{%- endif %}
{%- endif %}`;

const text = `{{ title }}
{%- if value != "" %}，当前值 {{ value }}{% if threshold != "" %}（阈值 {{ threshold }}）{% endif %}{% endif %}
{%- if status == "firing" %}，{{ startsAtMs | datetime: "time" }} 起已持续 {{ duration }}
{%- else %}，持续 {{ duration }}（{{ startsAtMs | datetime: "time" }} → {{ endsAtMs | datetime: "time" }}）{% endif %}
{%- if alertCount > 1 %}，告警中 {{ firingCount | number }} 条{% endif %}
{%- if flappingCount > 0 %}，抖动{% endif %}。`;

export const zhCN: LanguagePack = {
  templates: { title, markdown, text },
  words: {
    open: '打开',
    acknowledge: '认领',
    silence: '静默 1 小时',
    templateError: (problems) => `⚠️ 自定义模板出错，已改用默认模板（template error: ${problems}）`,
    badTimeZone: (zone) => `⚠️ 时区 "${zone}" 无效，时间按 UTC 显示`,
    digestTitle: (n) => `[摘要] ${n} 条通知（限流期间合并）`,
    digestCounts: (firing, resolved) => `告警中 ${firing} 条，已恢复 ${resolved} 条`,
    digestMore: (n) => `… 另有 ${n} 条通知`,
    noSummary: '告警',
  },
};
