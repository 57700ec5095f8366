DROP TABLE development_decisions;
DROP TABLE development_items;
