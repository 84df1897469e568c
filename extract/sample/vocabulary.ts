/** Word lists for the sample generator, rendered as DuckDB list literals. */
const list = (words: string[]) => `[${words.map((w) => `'${w.replaceAll("'", "''")}'`).join(", ")}]`;

export const femaleNames = list(["Emily", "Olivia", "Sophia", "Emma", "Ava", "Isabella", "Mia", "Abigail", "Madison", "Chloe", "Ella", "Grace", "Harper", "Aria", "Zoe", "Lily", "Nora", "Layla", "Hannah", "Avery"]);
export const maleNames = list(["Michael", "James", "William", "Alexander", "Ethan", "Daniel", "Logan", "Lucas", "Mason", "Liam", "Noah", "Benjamin", "Henry", "Jackson", "Owen", "Samuel", "Jacob", "Aiden", "Elijah", "Wyatt"]);
export const lastNames = list(["Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Lewis", "Robinson", "Walker", "Young"]);
export const streets = list(["Main Street", "Oak Street", "Pine Street", "Maple Avenue", "Cedar Lane", "Elm Street", "Washington Avenue", "Lake Street", "Hill Road", "Park Avenue", "Sunset Boulevard", "Second Street", "Tenth Street"]);
export const universities = list(["Ohio State University", "University of Wisconsin--Madison", "Stanford University", "University of Michigan", "Rice University", "Purdue University", "Duke University", "Tufts University"]);
export const departments = list(["Engineering", "Marketing", "Sales", "Support", "Legal", "Accounting", "Research and Development", "Human Resources"]);
export const titles = list(["Sales Manager", "Web Developer", "Accountant", "Product Manager", "Support Specialist", "Research Analyst", "Designer"]);
export const companyWords = list(["Dooley", "Kozey", "Cronin", "Schiller", "Hagenes", "Ziemann", "Rath", "Kiehn", "Spencer", "Weimann"]);
export const cardTypes = list(["Visa", "Mastercard", "American Express", "Diners Club International", "Discover", "JCB"]);
export const currencies = list(["USD", "EUR", "GBP", "CAD", "JPY"]);
export const bloodGroups = list(["A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-"]);
export const eyeColors = list(["Green", "Brown", "Blue", "Gray", "Hazel", "Amber"]);
export const hairColors = list(["Brown", "Black", "Blonde", "Red", "Gray", "White", "Chestnut", "Auburn"]);
export const hairTypes = list(["Curly", "Straight", "Wavy", "Kinky"]);
export const adjectives = list(["Classic", "Premium", "Essential", "Deluxe", "Eco", "Smart", "Vintage", "Ultra", "Compact", "Pro", "Signature", "Everyday"]);
export const brands = list(["Essence", "Glamour Beauty", "Velvet Touch", "Chic Cosmetics", "Apple", "Samsung", "Oppo", "Huawei", "Dell", "Lenovo", "Nike", "Puma", "Rolex", "Casual Comfort", "Furniture Co.", "Fashion Trends", "Gigabyte", "Asus", "Amazon"]);
export const reviewComments = list(["Highly impressed!", "Very satisfied!", "Would not recommend!", "Great value for money!", "Excellent quality!", "Not as described!", "Fast shipping!", "Disappointing product!", "Would buy again!"]);
export const warranties = list(["1 week warranty", "1 month warranty", "3 months warranty", "6 months warranty", "1 year warranty", "2 year warranty", "5 year warranty", "Lifetime warranty", "No warranty"]);
export const shipping = list(["Ships in 1 month", "Ships in 1 week", "Ships in 1-2 business days", "Ships in 2 weeks", "Ships in 3-5 business days", "Ships overnight"]);
export const returnPolicies = list(["30 days return policy", "60 days return policy", "7 days return policy", "90 days return policy", "No return policy"]);

/** Category mix: name, share of the catalogue, price range (USD), SKU code, noun for titles. */
export const categories: [string, number, number, number, string, string][] = [
  ["beauty", 6, 5, 60, "BEA", "Mascara"],
  ["fragrances", 5, 20, 150, "FRA", "Eau de Parfum"],
  ["furniture", 4, 80, 2500, "FUR", "Sofa"],
  ["groceries", 14, 1, 25, "GRO", "Coffee Beans"],
  ["home-decoration", 5, 10, 120, "HOM", "Table Lamp"],
  ["kitchen-accessories", 14, 5, 90, "KIT", "Knife Set"],
  ["laptops", 3, 500, 2500, "LAP", "Laptop"],
  ["mens-shirts", 4, 15, 70, "MEN", "Shirt"],
  ["mens-shoes", 4, 40, 200, "MEN", "Sneakers"],
  ["mens-watches", 3, 80, 2000, "MEN", "Watch"],
  ["mobile-accessories", 8, 10, 120, "MOB", "Charger"],
  ["motorcycle", 2, 2000, 12000, "MOT", "Motorcycle"],
  ["skin-care", 3, 8, 60, "SKI", "Moisturizer"],
  ["smartphones", 7, 150, 1300, "SMA", "Phone"],
  ["sports-accessories", 8, 8, 200, "SPO", "Football"],
  ["sunglasses", 3, 20, 250, "SUN", "Sunglasses"],
  ["tablets", 2, 200, 1100, "TAB", "Tablet"],
  ["tops", 3, 15, 60, "TOP", "Blouse"],
  ["womens-bags", 3, 30, 400, "WOM", "Handbag"],
  ["womens-dresses", 3, 30, 200, "WOM", "Dress"],
  ["womens-shoes", 3, 40, 250, "WOM", "Heels"],
  ["womens-watches", 2, 80, 1500, "WOM", "Watch"],
];
