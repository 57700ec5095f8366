DROP TABLE seven_day_plans;
