// Identifier patterns of CONTRACT §1. Anything that does not match is bad input.
export const HALL_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;
export const COUNTER_ID = HALL_ID;
export const SEAT_ID = /^[a-z0-9][a-z0-9-]{0,15}$/;
export const EQUIPMENT_ID = HALL_ID;
export const SENSOR_ID = HALL_ID;
export const DEVICE_ID = HALL_ID;
export const STAFF_ID = /^[A-Za-z0-9_-]{1,32}$/;
