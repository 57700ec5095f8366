DROP TABLE own_page_views;
