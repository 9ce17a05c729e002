from django import template

from articles.admin.tabular import tabular_rows

register = template.Library()
register.filter("tabular_rows", tabular_rows)
