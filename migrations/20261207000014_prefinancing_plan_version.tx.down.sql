DROP TABLE prefinancing_plans;
