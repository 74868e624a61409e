"""The pages of the cases app, by area. Each fetches through the access idiom
(``access.get_visible_or_404``: 404 for what the user may not see), parses its form and
calls an action; ``screen`` renders the workflow pages of one or more panels."""
