// The default English templates and the fixed words an English message uses. Same structure as
// defaults.zh-CN.ts (keep them in step): plain LiquidJS, every inserted value through `escape_md`.
import type { LanguagePack } from './language-pack.js';

const title = `{% if status == "firing" %}{% assign state = "FIRING" %}{% else %}{% assign state = "RESOLVED" %}{% endif -%}
[{% if severity %}{{ severity }} {% endif %}{{ state }}] {{ summary | default: "Alert" }}
{%- if where != "" %} · {{ where }}{% endif %}
{%- if alertCount > 1 %} ({{ alertCount | number }} alerts){% endif %}`;

const markdown = `{% if status == "firing" %}{% assign state = "FIRING" %}{% else %}{% assign state = "RESOLVED" %}{% endif -%}
### [{% if severity %}{{ severity }} {% endif %}{{ state }}] {{ summary | default: "Alert" | escape_md }}
{%- if where != "" %} · {{ where | escape_md }}{% endif %}
{%- if severity %}
- **Severity**: {{ severity | severity_name }}
{%- endif %}
- **Problem**: {{ summary | default: "(no summary)" | escape_md }}{% if alertCount == 1 and flappingCount > 0 %} (flapping){% endif %}
{%- if description != "" %}
- **Details**: {{ description | escape_md }}
{%- endif %}
{%- if service != "" %}
- **Service**: {{ service | escape_md }}
{%- endif %}
{%- if platform != "" %}
- **Platform**: {{ platform | escape_md }}
{%- endif %}
{%- if store != "" %}
- **Store**: {{ store | escape_md }}
{%- endif %}
{%- if value != "" %}
- **Value**: {{ value | escape_md }}{% if threshold != "" %} (threshold {{ threshold | escape_md }}){% endif %}
{%- elsif threshold != "" %}
- **Threshold**: {{ threshold | escape_md }}
{%- endif %}
{%- if status == "firing" %}
- **Since**: {{ startsAtMs | datetime }}, firing for {{ duration }}
{%- else %}
- **Lasted**: {{ duration }} ({{ startsAtMs | datetime }} → {{ endsAtMs | datetime }})
{%- endif %}
{%- if alertCount > 1 %}
- **Alerts**: {{ alertCount | number }} ({{ firingCount | number }} firing, {{ resolvedCount | number }} resolved{% if flappingCount > 0 %}, {{ flappingCount | number }} flapping{% endif %})
{%- endif %}
{%- if runbookUrl != "" %}
- **Runbook**: [Open runbook]({{ runbookUrl }})
{%- elsif runbook != "" %}
- **Runbook**: {{ runbook | escape_md }}
{%- endif %}
{%- for c in context %}
- **{% case c.kind %}{% when "trace" %}Trace{% when "log" %}Log{% else %}Event{% endcase %}**: {{ c.text | escape_md }}{% if c.url %} ([view]({{ c.url }})){% endif %}
{%- endfor %}
{%- if storm %}

#### Alert storm: {{ storm.total | number }} alerts ({{ storm.firing | number }} firing, {{ storm.resolved | number }} resolved)
{%- for l in storm.byLabel %}
- **{{ l.name | escape_md }}** ({{ l.distinct | number }} values): {% for t in l.top %}{{ t.value | escape_md }} ×{{ t.count | number }}{% unless forloop.last %} · {% endunless %}{% endfor %}{% if l.others > 0 %} · others {{ l.others | number }}{% endif %}
{%- endfor %}

**First {{ alerts.size | number }}**
{%- elsif alertCount > 1 %}

#### Alerts
{%- endif %}
{%- if alertCount > 1 %}
{%- for a in alerts %}
- {% if a.status == "firing" %}🔴{% else %}🟢{% endif %} {% if a.severity %}**{{ a.severity }}** {% endif %}{{ a.summary | escape_md }}
{%- for l in a.distinctLabels limit: 6 %}{% unless l[0] == "alertname" or l[0] == "severity" %} · {{ l[0] | escape_md }}={{ l[1] | escape_md }}{% endunless %}{% endfor %}
{%- if a.annotations.value and a.annotations.value != commonAnnotations.value %} · value {{ a.annotations.value | escape_md }}{% endif %}
{%- if a.status == "firing" %} · since {{ a.startsAtMs | datetime: "time" }} ({{ a.duration }}){% else %} · resolved, lasted {{ a.duration }}{% endif %}
{%- if a.flapping %} (flapping){% endif %}
{%- endfor %}
{%- if storm and storm.omitted > 0 %}
- … and {{ storm.omitted | number }} more not listed
{%- endif %}
{%- endif %}`;

const text = `{{ title }}
{%- if value != "" %}: value {{ value }}{% if threshold != "" %} (threshold {{ threshold }}){% endif %}{% endif %}
{%- if status == "firing" %}; firing since {{ startsAtMs | datetime: "time" }} ({{ duration }})
{%- else %}; lasted {{ duration }} ({{ startsAtMs | datetime: "time" }} → {{ endsAtMs | datetime: "time" }}){% endif %}
{%- if alertCount > 1 %}; {{ firingCount | number }} firing{% endif %}
{%- if flappingCount > 0 %}; flapping{% endif %}.`;

export const en: LanguagePack = {
  templates: { title, markdown, text },
  words: {
    open: 'Open',
    acknowledge: 'Acknowledge',
    silence: 'Silence 1h',
    templateError: (problems) => `⚠️ template error, default template used: ${problems}`,
    badTimeZone: (zone) => `⚠️ unknown time zone "${zone}", times shown in UTC`,
    digestTitle: (n) => `[Digest] ${n} notifications (merged while throttled)`,
    digestCounts: (firing, resolved) => `${firing} firing, ${resolved} resolved`,
    digestMore: (n) => `… and ${n} more`,
    noSummary: 'Alert',
  },
};
