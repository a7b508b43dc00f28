"""Network views, charts and page assets (all offline). Built in the web-app issue."""
