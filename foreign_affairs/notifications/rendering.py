"""Plain text from templates: the subjects and bodies of notifications.

Django escapes HTML in every template by default, which suits pages but not plain text: an e-mail would
read "R&amp;D" and "O&#x27;Brien". Text templates are rendered here by the project's own template
engine (same directories, tags and cached templates) with autoescaping off for that one rendering, so
no template has to say {% autoescape off %}. The in-app copy is stored as this plain text and escaped
by the pages that show it, like any other text in the database.
"""

from django.template import Context, Engine


def render_text(template_name: str, context: dict) -> str:
    """`template_name` rendered with `context` as plain text (nothing HTML-escaped).

    Only for text that is never put into HTML as it is: e-mail subjects and bodies, text stored to be
    escaped when shown. An HTML part of an e-mail is rendered with render_to_string() as usual.
    """
    template = Engine.get_default().get_template(template_name)
    return template.render(Context(context, autoescape=False))
