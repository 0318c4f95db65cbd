"""{% fragment %}: a part of a template rendered once per purge, site, language and day.

    {% load fragment_tags %}
    {% fragment "article-body" page.pk %} ... {% endfragment %}

The name and the values after it make the key; if a value is None or empty (a page not saved
yet), and in previews, the part is rendered every time. Only wrap what is the same for every
visitor: nothing with a CSRF token, messages, the signed-in user or a counter.
"""

from django import template

from portal.fragments import fragment

register = template.Library()


class FragmentNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name, vary_on):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context):
        values = [value.resolve(context) for value in self.vary_on]
        if any(value in (None, "") for value in values):
            return self.nodelist.render(context)
        key = ":".join([self.name.resolve(context), *map(str, values)])
        return fragment(context.get("request"), key, lambda: self.nodelist.render(context))


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]])
